from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from workflow.models import CalendarDay, RoleTitle, StepStandard, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "first_name", "last_name", "unit", "position", "is_active")
    list_filter = ("groups", "unit", "is_active", "is_staff")
    list_select_related = ("unit",)
    search_fields = ("username", "first_name", "last_name", "email", "nip")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Kepegawaian"), {"fields": ("unit", "position", "nip", "phone")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (
            _("Kepegawaian"),
            {"fields": ("first_name", "last_name", "email", "unit", "position", "groups")},
        ),
    )


@admin.register(RoleTitle)
class RoleTitleAdmin(admin.ModelAdmin):
    list_display = ("role", "title", "short_title")
    readonly_fields = ("role",)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.site_header = _("SOP Aplikasi — Administrasi")
admin.site.site_title = _("SOP Aplikasi")
admin.site.index_title = _("Data induk")


@admin.register(StepStandard)
class StepStandardAdmin(admin.ModelAdmin):
    list_display = ("step", "activity", "actor", "amount", "unit")
    list_editable = ("amount", "unit")
    readonly_fields = ("step",)
    ordering = ("step",)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "name", "is_holiday", "source")
    list_filter = ("is_holiday", "source")
    search_fields = ("name",)
    date_hierarchy = "date"
