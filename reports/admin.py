from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from reports import services
from reports.models import Document, Letterhead, NumberPattern
from sopapp.admin_a11y import AccessibleAdminMixin, AccessibleTabularInline
from sopapp.admin_lookups import SafeDateHierarchyMixin


class NumberPatternFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        # Kinds numbered without the classification code count per kind: the same pattern
        # for two of them would give two letters the same number.
        seen: dict[str, str] = {}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            pattern = data.get("pattern", "")
            if not pattern or data.get("DELETE") or "{code}" in pattern:
                continue
            if pattern in seen:
                raise ValidationError(
                    _("Pola nomor %(pattern)s dipakai dua jenis dokumen; nomor akan bentrok.")
                    % {"pattern": pattern}
                )
            seen[pattern] = data.get("kind", "")


class NumberPatternInline(AccessibleTabularInline):
    """Drawn stacked: five settings with long help texts and choices do not fit as table
    columns at 1280 px; each control keeps its column-and-row name."""

    template = "admin/edit_inline/stacked.html"
    model = NumberPattern
    formset = NumberPatternFormSet
    extra = 0
    fields = ("kind", "classification_code", "pattern", "source", "academic_titles")


@admin.register(Letterhead)
class LetterheadAdmin(SafeDateHierarchyMixin, AccessibleAdminMixin, admin.ModelAdmin):
    """The single kop surat: the list goes straight to its form."""

    inlines = [NumberPatternInline]
    fieldsets = (
        (None, {"fields": ("region_name", "agency_name", "address", "city", "logo")}),
        (_("Kontak"), {"fields": ("phone", "email", "website")}),
        (
            _("Tata letak dokumen"),
            {
                "fields": (
                    "paper_size",
                    "font_family",
                    "font_size",
                    ("margin_top", "margin_right", "margin_bottom", "margin_left"),
                )
            },
        ),
        (_("Tanda tangan elektronik"), {"fields": ("esign_since",)}),
    )

    def has_add_permission(self, request):
        return not Letterhead.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        letterhead = Letterhead.load()
        return redirect(reverse("admin:reports_letterhead_change", args=[letterhead.pk]))


@admin.register(Document)
class DocumentAdmin(SafeDateHierarchyMixin, AccessibleAdminMixin, admin.ModelAdmin):
    """The archive, read-only. Failed renders can be queued again."""

    list_display = (
        "number",
        "version",
        "kind",
        "request",
        "status",
        "issued_at",
        "pages",
        "render_seconds",
    )
    list_filter = ("kind", "status", "year")
    list_select_related = ("request",)
    search_fields = ("number", "code", "sha256", "request__registration_number")
    date_hierarchy = "issued_at"
    actions = ["retry_render"]

    def get_fields(self, request, obj=None):
        # The file is served only through the permission-checked download view.
        names = [f.name for f in self.model._meta.fields if f.name not in ("id", "file")]
        return [*names, "download"]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    @admin.display(description=_("berkas"))
    def download(self, obj: Document) -> str:
        if not obj.is_ready:
            return "—"
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.download_name)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Buat ulang dokumen yang gagal atau tertunda"))
    def retry_render(self, request, queryset):
        queued = sum(services.document_retry(document=doc) for doc in queryset)
        self.message_user(
            request,
            ngettext("%d dokumen diantrekan ulang.", "%d dokumen diantrekan ulang.", queued)
            % queued,
            messages.INFO,
        )
