import hashlib

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from reports.numbering import normalize_code


class VerifyForm(forms.Form):
    """The public check: a verification code, a PDF, or both."""

    code = forms.CharField(
        label=_("Kode verifikasi"),
        required=False,
        max_length=20,
        help_text=_("Delapan huruf/angka di kaki halaman dokumen, misalnya 7KQ2-M9XD."),
    )
    file = forms.FileField(
        label=_("Berkas PDF yang ingin diperiksa"),
        required=False,
        error_messages={"empty": _("Berkas yang diunggah kosong.")},
    )

    def clean_code(self) -> str | None:
        raw = self.cleaned_data["code"]
        if not raw.strip():
            return None
        code = normalize_code(raw)
        if code is None:
            raise forms.ValidationError(
                _("Kode verifikasi terdiri atas delapan huruf/angka, misalnya 7KQ2-M9XD.")
            )
        return code

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None:
            return None
        limit = settings.SOPAPP_MAX_UPLOAD_MB * 1024 * 1024
        if upload.size == 0:
            raise forms.ValidationError(_("Berkas yang diunggah kosong."))
        if upload.size > limit:
            raise forms.ValidationError(
                _("Berkas terlalu besar (paling besar %(mb)s MB).")
                % {"mb": settings.SOPAPP_MAX_UPLOAD_MB}
            )
        upload.seek(0)
        head = upload.read(5)
        if head != b"%PDF-":
            raise forms.ValidationError(_("Berkas ini bukan PDF."))
        upload.seek(0)
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        return digest.hexdigest()

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("code") and not cleaned.get("file"):
            raise forms.ValidationError(_("Isi kode verifikasi atau unggah berkas PDF."))
        return cleaned


class NumberEntryForm(forms.Form):
    """The number a letter got in the agency's register (e.g. SRIKANDI)."""

    number = forms.CharField(
        label=_("Nomor dari register surat"),
        max_length=120,
        help_text=_("Salin persis nomor yang diberikan register surat (mis. SRIKANDI)."),
    )
