from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class SignForm(forms.Form):
    passphrase = forms.CharField(
        label=_("Passphrase sertifikat elektronik"),
        max_length=200,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        error_messages={"required": _("Isi passphrase Anda.")},
    )


class CertificateForm(forms.Form):
    """An official chooses the passphrase of a new certificate (never stored)."""

    password = forms.CharField(
        label=_("Kata sandi akun Anda"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    passphrase = forms.CharField(
        label=_("Passphrase baru"),
        strip=False,
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    passphrase_again = forms.CharField(
        label=_("Ulangi passphrase"),
        strip=False,
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Kata sandi akun salah."))
        return password

    def clean_passphrase(self) -> str:
        passphrase = self.cleaned_data["passphrase"]
        minimum = settings.SOPAPP_SIGNING_MIN_PASSPHRASE
        if len(passphrase) < minimum:
            raise forms.ValidationError(
                ngettext(
                    "Passphrase paling sedikit %(n)s karakter.",
                    "Passphrase paling sedikit %(n)s karakter.",
                    minimum,
                )
                % {"n": minimum}
            )
        return passphrase

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("passphrase")
            and cleaned.get("passphrase_again") is not None
            and cleaned["passphrase"] != cleaned["passphrase_again"]
        ):
            self.add_error("passphrase_again", _("Kedua passphrase tidak sama."))
        return cleaned


class SignatureVerifyForm(forms.Form):
    """The PDF whose signatures the public verification page checks."""

    signed_file = forms.FileField(
        label=_("Berkas PDF bertanda tangan elektronik"),
        error_messages={
            "required": _("Pilih berkas PDF yang ingin diperiksa tanda tangannya."),
            "empty": _("Berkas yang diunggah kosong."),
        },
    )

    def clean_signed_file(self) -> bytes:
        upload = self.cleaned_data["signed_file"]
        limit = settings.SOPAPP_MAX_UPLOAD_MB * 1024 * 1024
        if upload.size == 0:
            raise forms.ValidationError(_("Berkas yang diunggah kosong."))
        if upload.size > limit:
            raise forms.ValidationError(
                _("Berkas terlalu besar (paling besar %(mb)s MB).")
                % {"mb": settings.SOPAPP_MAX_UPLOAD_MB}
            )
        upload.seek(0)
        data = upload.read()
        if not data.startswith(b"%PDF-"):
            raise forms.ValidationError(_("Berkas ini bukan PDF."))
        return data
