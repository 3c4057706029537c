from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from catalogue.models import Application, ApplicationStatus, Release
from catalogue.services import application_retire
from sopapp.admin_a11y import AccessibleAdminMixin
from sopapp.admin_lookups import SafeDateHierarchyMixin


@admin.register(Application)
class ApplicationAdmin(SafeDateHierarchyMixin, AccessibleAdminMixin, admin.ModelAdmin):
    """Applications older than this system are added here; one is retired with its reason."""

    list_display = ("name", "unit", "kind", "hosting", "year", "status")
    list_filter = ("status", "kind", "hosting", "year", "unit")
    list_select_related = ("unit",)
    search_fields = ("name", "purpose", "unit__name", "unit__short_name")
    raw_id_fields = ("proposal",)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    readonly_fields = ("created_at", "updated_at", "created_by")
    actions = ("retire_selected",)

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        return False  # an application leaves the catalogue by being retired, never deleted

    @admin.action(description=_("Hentikan aplikasi terpilih"))
    def retire_selected(self, request, queryset):
        count = 0
        for app in queryset.exclude(status=ApplicationStatus.RETIRED):
            application_retire(
                application_id=app.pk,
                actor=request.user,
                reason=str(_("Dihentikan melalui administrasi.")),
            )
            count += 1
        message = ngettext(
            "%(count)d aplikasi dihentikan.", "%(count)d aplikasi dihentikan.", count
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)


@admin.register(Release)
class ReleaseAdmin(SafeDateHierarchyMixin, AccessibleAdminMixin, admin.ModelAdmin):
    list_display = ("proposal", "url", "version", "hosting", "recorded_at")
    list_select_related = ("proposal",)
    raw_id_fields = ("proposal", "application")
    # The documents are private files (no public URL): the admin shows their names and
    # digests; they are downloaded from the catalogue page.
    exclude = ("uat_document", "security_document")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    readonly_fields = (
        "uat_original_name",
        "uat_sha256",
        "security_original_name",
        "security_sha256",
        "recorded_by",
        "recorded_at",
    )

    def has_add_permission(self, request):
        return False  # step 8 records it

    def has_delete_permission(self, request, obj=None):
        return False
