from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sopapp.admin_a11y import AccessibleAdminMixin
from sopapp.admin_lookups import SafeDateHierarchyMixin
from workflow.civil_service import Employment
from workflow.models import (
    ActingAssignment,
    CalendarDay,
    Notification,
    RoleTitle,
    StepStandard,
    User,
)
from workflow.notifications import enqueue_emails


class SignerDataFilter(admin.SimpleListFilter):
    """People whose signature block would lack NIP or pangkat/golongan."""

    title = _("data penanda tangan")
    parameter_name = "data_ttd"

    def lookups(self, request, model_admin):
        return [("kurang", _("NIP atau pangkat belum diisi"))]

    def queryset(self, request, queryset):
        if self.value() == "kurang":
            return (
                queryset.filter(is_active=True)
                .exclude(employment=Employment.NON_ASN)
                .filter(Q(nip="") | Q(rank=""))
            )
        return queryset


@admin.register(User)
class UserAdmin(SafeDateHierarchyMixin, AccessibleAdminMixin, DjangoUserAdmin):
    list_display = (
        "username",
        "first_name",
        "last_name",
        "unit",
        "position",
        "rank",
        "signer_data",
        "is_active",
    )
    list_filter = (SignerDataFilter, "groups", "unit", "employment", "is_active", "is_staff")
    list_select_related = ("unit",)
    search_fields = ("username", "first_name", "last_name", "email", "nip")
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (
            _("Kepegawaian"),
            {
                "fields": (
                    "unit",
                    "position",
                    "employment",
                    "nip",
                    "rank",
                    ("academic_prefix", "academic_suffix"),
                    "phone",
                )
            },
        ),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (
            _("Kepegawaian"),
            {
                "fields": (
                    "first_name",
                    "last_name",
                    "email",
                    "unit",
                    "position",
                    "employment",
                    "nip",
                    "rank",
                    "groups",
                )
            },
        ),
    )

    @admin.display(description=_("data tanda tangan"))
    def signer_data(self, obj: User) -> str:
        missing = obj.signer_data_missing
        if not missing:
            return "✓"
        return _("kurang: %(fields)s") % {"fields": ", ".join(missing)}


@admin.register(RoleTitle)
class RoleTitleAdmin(SafeDateHierarchyMixin, AccessibleAdminMixin, admin.ModelAdmin):
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
class StepStandardAdmin(SafeDateHierarchyMixin, AccessibleAdminMixin, admin.ModelAdmin):
    list_display = ("step", "activity", "actor", "amount", "unit")
    list_editable = ("amount", "unit")
    readonly_fields = ("step",)
    ordering = ("step",)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(SafeDateHierarchyMixin, AccessibleAdminMixin, admin.ModelAdmin):
    list_display = ("date", "name", "is_holiday", "source")
    list_filter = ("is_holiday", "source")
    search_fields = ("name",)
    date_hierarchy = "date"


@admin.register(ActingAssignment)
class ActingAssignmentAdmin(SafeDateHierarchyMixin, AccessibleAdminMixin, admin.ModelAdmin):
    list_display = (
        "user",
        "kind",
        "role",
        "absent_official",
        "decree_number",
        "start_date",
        "end_date",
    )
    list_filter = ("role", "kind")
    search_fields = ("user__username", "user__first_name", "decree_number")
    autocomplete_fields = ("user", "absent_official")
    date_hierarchy = "start_date"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Notification)
class NotificationAdmin(SafeDateHierarchyMixin, AccessibleAdminMixin, admin.ModelAdmin):
    """Visible so the administrator can see and retry failed e-mails."""

    list_display = (
        "created_at",
        "recipient",
        "request",
        "kind",
        "email_status",
        "email_attempts",
        "email_error",
    )
    list_filter = ("email_status", "kind")
    list_select_related = ("recipient", "request")
    search_fields = ("recipient__username", "request__registration_number")
    readonly_fields = [f.name for f in Notification._meta.fields]
    actions = ["resend"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Kirim ulang e-mail yang dipilih"))
    def resend(self, request, queryset):
        ids = list(
            queryset.exclude(email_status=Notification.EmailStatus.SENT).values_list(
                "pk", flat=True
            )
        )
        enqueue_emails(ids)
        message = ngettext("%(n)d e-mail dikirim ulang.", "%(n)d e-mail dikirim ulang.", len(ids))
        self.message_user(request, message % {"n": len(ids)})
