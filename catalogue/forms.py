from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.models import Application, ApplicationKind, ApplicationStatus, Hosting
from catalogue.selectors import CatalogueFilters
from catalogue.services import APPLICATION_FIELDS
from requests_intake.models import PerangkatDaerah
from workflow.forms import DateInput, ExportQueryForm, show_length_limits
from workflow.masterdata import active_units

NUL_REFUSED = _("Karakter nol (NUL) tidak diperbolehkan.")
_YEAR_MESSAGE = _("Tahun harus antara 1990 dan 2100.")
# The most each free-text answer may hold (the form is the only way in).
FREE_TEXT_LIMITS = {
    "purpose": 3000,
    "users": 1000,
    "data_handled": 3000,
    "personal_data_note": 2000,
    "integrations": 2000,
}


class CatalogueListForm(ExportQueryForm):
    """The catalogue's search and filters (also read by its CSV/XLSX export)."""

    q = forms.CharField(
        label=_("Cari"),
        required=False,
        max_length=100,
        error_messages={
            "null_characters_not_allowed": _("Karakter nol (NUL) tidak diperbolehkan.")
        },
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Semua")), *ApplicationStatus.choices],
        error_messages={"invalid_choice": _("Status yang dipilih tidak ada.")},
    )
    hosting = forms.ChoiceField(
        label=_("Hosting"),
        required=False,
        choices=[("", _("Semua")), *Hosting.choices],
        error_messages={"invalid_choice": _("Tempat hosting yang dipilih tidak ada.")},
    )
    kind = forms.ChoiceField(
        label=_("Jenis"),
        required=False,
        choices=[("", _("Semua")), *ApplicationKind.choices],
        error_messages={"invalid_choice": _("Jenis aplikasi yang dipilih tidak ada.")},
    )
    year = forms.IntegerField(
        label=_("Tahun"),
        required=False,
        min_value=1990,
        max_value=2100,
        error_messages={
            "invalid": _YEAR_MESSAGE,
            "min_value": _YEAR_MESSAGE,
            "max_value": _YEAR_MESSAGE,
        },
    )
    unit = forms.TypedChoiceField(
        label=_("Perangkat Daerah"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Perangkat Daerah yang dipilih tidak ada.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("Semua"))] + [
            (str(pk), name) for pk, name in active_units()
        ]

    def filters(self) -> CatalogueFilters:
        return CatalogueFilters(
            q=self.value("q", ""),
            status=self.value("status", ""),
            hosting=self.value("hosting", ""),
            kind=self.value("kind", ""),
            year=self.value("year"),
            unit=self.value("unit"),
        )


class ApplicationForm(forms.ModelForm):
    """An application added or corrected by the administrator."""

    url = forms.URLField(
        label=_("Alamat (URL)"),
        max_length=300,
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("Masukkan alamat web yang lengkap, mis. https://…")},
    )

    class Meta:
        model = Application
        fields = APPLICATION_FIELDS
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in FREE_TEXT_LIMITS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = PerangkatDaerah.objects.filter(active=True)
        self.fields["unit"].error_messages["invalid_choice"] = _(
            "Perangkat Daerah yang dipilih tidak ada."
        )
        self.fields["year"].error_messages.update(
            {"min_value": _YEAR_MESSAGE, "max_value": _YEAR_MESSAGE}
        )
        if self.instance.pk is None:
            # A retirement has its own form with a reason.
            self.fields["status"].choices = [
                c for c in ApplicationStatus.choices if c[0] != ApplicationStatus.RETIRED
            ]
        for name, limit in FREE_TEXT_LIMITS.items():
            field = self.fields[name]
            field.max_length = limit
            field.validators.append(MaxLengthValidator(limit))
            field.widget.attrs["maxlength"] = str(limit)
        show_length_limits(self)

    def clean(self):
        data = super().clean()
        if data.get("has_personal_data") and not (data.get("personal_data_note") or "").strip():
            self.add_error(
                "personal_data_note",
                _("Sebutkan data pribadi yang diproses dan dasar pemrosesannya."),
            )
        return data


class RetireForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan penghentian"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Alasan penghentian wajib diisi.")},
    )
    retired_on = forms.DateField(
        label=_("Tanggal dihentikan"),
        required=False,
        widget=DateInput(),
        help_text=_("Kosongkan untuk hari ini."),
    )

    def clean_retired_on(self):
        value = self.cleaned_data.get("retired_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("Tanggal dihentikan tidak boleh di masa depan."))
        return value
