import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout
from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from requests_intake.models import ApplicationRequest
from requests_intake.nip import normalise_nip
from requests_intake.services import PROPOSAL_FIELDS
from requests_intake.uploads import PDF_ONLY, PDF_OR_DOCX, check_upload
from workflow.forms import FIRST_DATE, LAST_DATE, DateInput, ExportQueryForm, show_length_limits
from workflow.masterdata import active_units
from workflow.selectors import ListFilters
from workflow.states import State

NUL_REFUSED = _("Karakter nol (NUL) tidak diperbolehkan.")
_PHONE = re.compile(r"^\+?[0-9 ()\-.]{6,20}$")


# The most each free-text answer may hold. The tanda terima prints every answer, so a huge
# text would make a document of hundreds of pages and hold up everyone's documents. Checked
# here (the form is the only way in) rather than in the database.
FREE_TEXT_LIMITS = {
    "background": 4000,
    "objectives": 3000,
    "business_processes": 4000,
    "intended_users": 1000,
    "data_description": 3000,
    "integration_needs": 2000,
    "general_app_notes": 2000,
}


class ProposalForm(forms.ModelForm):
    """The intake form: the request letter and what the application should do."""

    letter_file = forms.FileField(
        label=_("Pindaian surat permintaan (PDF)"),
        required=False,
        help_text=_("Wajib dilampirkan sebelum usulan diajukan. Hanya PDF."),
    )
    kak_file = forms.FileField(
        label=_("Kerangka Acuan Kerja / TOR (PDF atau DOCX)"),
        required=False,
        help_text=_(
            "Wajib dilampirkan sebelum usulan diajukan: latar belakang, maksud dan tujuan, "
            "ruang lingkup, keluaran, jadwal dan anggaran."
        ),
    )

    class Meta:
        model = ApplicationRequest
        fields = PROPOSAL_FIELDS
        widgets = {
            "letter_date": DateInput(),
            "desired_completion": DateInput(),
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in (
                    "background",
                    "objectives",
                    "business_processes",
                    "intended_users",
                    "data_description",
                    "integration_needs",
                    "general_app_notes",
                )
            },
        }

    def __init__(self, *args, has_letter: bool = False, has_kak: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_letter = has_letter
        for name in ("signer_name", "signer_nip", "signer_position"):
            self.fields[name].required = True
        self.fields["signer_name"].error_messages["required"] = _(
            "Tuliskan nama pejabat yang menandatangani surat permintaan."
        )
        self.fields["signer_nip"].error_messages["required"] = _(
            "Tuliskan NIP pejabat yang menandatangani surat permintaan."
        )
        self.fields["signer_position"].error_messages["required"] = _(
            "Tuliskan jabatan penanda tangan, mis. Kepala Dinas Kesehatan."
        )
        # A NIP typed with its usual spaces is longer than the 18 digits stored.
        signer_nip = self.fields["signer_nip"]
        assert isinstance(signer_nip, forms.CharField)
        signer_nip.max_length = 30
        self.fields["signer_nip"].widget.attrs.update(
            {"maxlength": "30", "inputmode": "numeric", "autocomplete": "off"}
        )
        self.fields["signer_nip"].validators = []
        if has_kak:
            self.fields["kak_file"].help_text = _(
                "KAK/TOR sudah terlampir. Unggah lagi hanya untuk mengganti (versi lama tetap "
                "tersimpan)."
            )
        self.fields["user_count"].widget.attrs["min"] = 1
        for name, limit in FREE_TEXT_LIMITS.items():
            field = self.fields[name]
            field.max_length = limit  # type: ignore[attr-defined]  # a CharField
            field.validators.append(MaxLengthValidator(limit))
            field.widget.attrs["maxlength"] = str(limit)
        show_length_limits(self)
        if has_letter:
            self.fields["letter_file"].help_text = _(
                "Surat sudah terlampir. Unggah lagi hanya untuk mengganti (versi lama tetap "
                "tersimpan)."
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                _("Surat permintaan"),
                "letter_number",
                "letter_date",
                "letter_file",
                "signer_name",
                "signer_nip",
                "signer_position",
                "kak_file",
            ),
            Fieldset(
                _("Aplikasi yang diusulkan"),
                "app_name",
                "background",
                "objectives",
                "business_processes",
                "intended_users",
                "user_count",
            ),
            Fieldset(
                _("Data dan integrasi"),
                "data_description",
                "has_personal_data",
                "has_sensitive_personal_data",
                "integration_needs",
            ),
            Fieldset(
                _("Pelaksanaan"),
                "hosting_preference",
                "funding_source",
                "desired_completion",
                "general_app_considered",
                "general_app_notes",
            ),
            Fieldset(
                _("Narahubung"),
                "contact_name",
                "contact_position",
                "contact_phone",
                "contact_email",
            ),
            HTML(""),
        )

    def clean_letter_date(self):
        value = self.cleaned_data["letter_date"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("Tanggal surat tidak boleh di masa depan."))
        return value

    def clean_desired_completion(self):
        value = self.cleaned_data.get("desired_completion")
        if value and value < timezone.localdate():
            raise forms.ValidationError(_("Target penyelesaian tidak boleh di masa lalu."))
        return value

    def clean_contact_phone(self):
        value = self.cleaned_data["contact_phone"].strip()
        if not _PHONE.match(value):
            raise forms.ValidationError(
                _("Nomor telepon hanya boleh berisi angka, spasi, +, -, titik dan kurung.")
            )
        return value

    def clean_signer_nip(self):
        return normalise_nip(self.cleaned_data["signer_nip"])

    def clean_kak_file(self):
        upload = self.cleaned_data.get("kak_file")
        if upload:
            check_upload(upload, allowed=PDF_OR_DOCX)
        return upload

    def clean_letter_file(self):
        upload = self.cleaned_data.get("letter_file")
        if upload:
            check_upload(upload, allowed=PDF_ONLY)
        return upload

    def clean(self):
        data = super().clean()
        if data.get("has_sensitive_personal_data") and not data.get("has_personal_data"):
            self.add_error(
                "has_personal_data",
                _("Data pribadi spesifik juga data pribadi: centang pilihan ini juga."),
            )
        if data.get("general_app_considered") and not (data.get("general_app_notes") or "").strip():
            self.add_error(
                "general_app_notes",
                _("Sebutkan Aplikasi Umum yang dipertimbangkan dan mengapa belum mencukupi."),
            )
        return data

    def proposal_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in PROPOSAL_FIELDS}


class ProposalListForm(ExportQueryForm):
    """The proposal list's filters (also read by its CSV/XLSX export)."""

    q = forms.CharField(
        label=_("Cari"),
        required=False,
        max_length=100,
        error_messages={"null_characters_not_allowed": NUL_REFUSED},
    )
    state = forms.ChoiceField(
        label=_("Status"),
        required=False,
        error_messages={"invalid_choice": _("Status yang dipilih tidak ada.")},
    )
    unit = forms.TypedChoiceField(
        label=_("Perangkat Daerah"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Perangkat Daerah yang dipilih tidak ada.")},
    )
    year = forms.IntegerField(
        label=_("Tahun"),
        required=False,
        min_value=FIRST_DATE.year,
        max_value=LAST_DATE.year,
        error_messages={
            "invalid": _("Tahun harus antara 2000 dan 2100."),
            "min_value": _("Tahun harus antara 2000 dan 2100."),
            "max_value": _("Tahun harus antara 2000 dan 2100."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("Semua")), ("running", _("Sedang berjalan"))] + [
            *State.choices
        ]
        self.fields["unit"].choices = [("", _("Semua"))] + [
            (str(pk), name) for pk, name in active_units()
        ]

    def filters(self) -> ListFilters:
        return ListFilters(
            q=self.value("q", ""),
            state=self.value("state", ""),
            unit=self.value("unit"),
            year=self.value("year"),
        )
