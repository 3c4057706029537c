"""Electronic signatures (*tanda tangan elektronik*, TTE) on the official documents.

- ``CertificateAuthority``: the office's own CA for the ``local`` backend (one row).
- ``SignerCertificate``: an official's certificate and encrypted PKCS#12 (``local``).
- ``SignerProfile``: the official's NIK, which BSrE's signing service knows them by (``bsre``).
- ``SignatureRequest``: one signature a rendered document needs, in order; once signed it
  keeps the file as it stood after that signature. The last one's file is the document
  of record; the render in ``reports.Document.file`` stays as the unsigned draft.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflow.states import Role


class CertificateAuthority(models.Model):
    """The office's CA (a single row). The key is encrypted with SOPAPP_SIGNING_CA_PASSPHRASE."""

    name = models.CharField(_("nama"), max_length=64)
    certificate_pem = models.TextField(_("sertifikat (PEM)"))
    key_pem = models.TextField(_("kunci privat terenkripsi (PEM)"))
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    crl_der = models.BinaryField(_("daftar pencabutan (DER)"), blank=True, default=b"")
    crl_number = models.PositiveIntegerField(_("nomor CRL"), default=0)
    crl_next_update = models.DateTimeField(_("CRL berlaku sampai"), null=True, blank=True)

    class Meta:
        verbose_name = _("otoritas sertifikat")
        verbose_name_plural = _("otoritas sertifikat")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.pk = 1  # a singleton
        super().save(*args, **kwargs)


def pkcs12_path(instance: "SignerCertificate", filename: str) -> str:
    return f"signing/certificates/{uuid.uuid4().hex}.p12"


class CertificateQuerySet(models.QuerySet):
    def active(self) -> "CertificateQuerySet":
        return self.filter(revoked_at__isnull=True, not_after__gt=timezone.now())


class SignerCertificate(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="signing_certificates",
        verbose_name=_("pejabat"),
    )
    serial = models.CharField(_("nomor seri"), max_length=64, unique=True)
    subject_name = models.CharField(_("nama pada sertifikat"), max_length=64)
    nip = models.CharField(_("NIP pada sertifikat"), max_length=30, blank=True)
    certificate_pem = models.TextField(_("sertifikat (PEM)"))
    pkcs12 = models.FileField(_("berkas PKCS#12"), upload_to=pkcs12_path, max_length=200)
    issued_at = models.DateTimeField(_("diterbitkan"), default=timezone.now)
    not_after = models.DateTimeField(_("berlaku sampai"))
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    revocation_reason = models.CharField(_("alasan pencabutan"), max_length=200, blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("sertifikat elektronik")
        verbose_name_plural = _("sertifikat elektronik")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(revoked_at__isnull=True),
                name="one_unrevoked_certificate_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject_name} ({self.serial[:12]}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.not_after > timezone.now()


class SignerProfile(models.Model):
    """What BSrE's signing service knows an official by."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="signer_profile",
        verbose_name=_("pejabat"),
    )
    nik = models.CharField(
        _("NIK"), max_length=16, help_text=_("Nomor Induk Kependudukan terdaftar di BSrE.")
    )

    class Meta:
        verbose_name = _("identitas penanda tangan (BSrE)")
        verbose_name_plural = _("identitas penanda tangan (BSrE)")

    def __str__(self) -> str:
        return str(self.user)


class SignatureStatus(models.TextChoices):
    PENDING = "pending", _("Belum ditandatangani")
    SIGNED = "signed", _("Ditandatangani")


def signed_path(instance: "SignatureRequest", filename: str) -> str:
    return f"signing/signed/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.pdf"


class SignatureRequestQuerySet(models.QuerySet):
    def pending(self) -> "SignatureRequestQuerySet":
        return self.filter(status=SignatureStatus.PENDING)

    def ready(self) -> "SignatureRequestQuerySet":
        """Pending with every earlier signature of the document already there."""
        earlier = SignatureRequest.objects.filter(
            document=models.OuterRef("document"),
            order__lt=models.OuterRef("order"),
            status=SignatureStatus.PENDING,
        )
        return self.pending().exclude(models.Exists(earlier))


class SignatureRequest(models.Model):
    """One signature a document needs; ``signer`` set when it is one person's, else ``role``."""

    document = models.ForeignKey(
        "reports.Document",
        on_delete=models.PROTECT,
        related_name="signature_requests",
        verbose_name=_("dokumen"),
    )
    order = models.PositiveSmallIntegerField(_("urutan"))
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("penanda tangan"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SignatureStatus.choices,
        default=SignatureStatus.PENDING,
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ditandatangani oleh"),
    )
    signed_at = models.DateTimeField(_("waktu tanda tangan"), null=True, blank=True)
    backend = models.CharField(_("layanan"), max_length=10, blank=True)
    file = models.FileField(_("berkas bertanda tangan"), upload_to=signed_path, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)

    objects = SignatureRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("permintaan tanda tangan")
        verbose_name_plural = _("permintaan tanda tangan")
        ordering = ["document", "order"]
        constraints = [
            models.UniqueConstraint(fields=["document", "order"], name="uniq_signature_order"),
            models.CheckConstraint(
                condition=Q(status="pending") | ~Q(sha256=""), name="signed_request_has_hash"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document} #{self.order}"

    @property
    def field_name(self) -> str:
        return f"TTE{self.order}"

    @property
    def is_signed(self) -> bool:
        return self.status == SignatureStatus.SIGNED
