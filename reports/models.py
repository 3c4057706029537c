"""The official documents: letterhead, numbering, and the immutable archive.

Indonesian words kept in code: *kop surat* (letterhead), *berita acara* (minutes),
*lembar disposisi* (routing slip), *rekam jejak* (the full record of a proposal).
"""

import string
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    RECEIPT = "tanda_terima", _("Tanda Terima Usulan")
    DISPOSITION = "lembar_disposisi", _("Lembar Disposisi")
    DECISION = "keputusan", _("Keputusan Kepala Dinas")
    DESIGN = "rancangan_sistem", _("Rancangan Sistem")
    PRESENTATION = "ba_presentasi", _("Berita Acara Presentasi")
    REVIEW = "catatan_reviu", _("Catatan Reviu")
    REPORT = "laporan", _("Laporan Hasil Pembuatan Aplikasi")
    SOCIALISATION = "ba_sosialisasi", _("Berita Acara Sosialisasi")
    RECORD = "rekam_jejak", _("Rekam Jejak Usulan")


# Default letter-number patterns: one yearly counter per kind, so each kind carries its
# own code to keep numbers unique. The agency sets its classification code in the admin.
DEFAULT_PATTERNS: dict[str, str] = {
    DocumentKind.RECEIPT: "000.8.3.3/{seq}/TT/DISKOMINFO/{year}",
    DocumentKind.DISPOSITION: "000.8.3.3/{seq}/DISP/DISKOMINFO/{year}",
    DocumentKind.DECISION: "000.8.3.3/{seq}/KEP/DISKOMINFO/{year}",
    DocumentKind.DESIGN: "000.8.3.3/{seq}/RS/DISKOMINFO/{year}",
    DocumentKind.PRESENTATION: "000.8.3.3/{seq}/BA-PRES/DISKOMINFO/{year}",
    DocumentKind.REVIEW: "000.8.3.3/{seq}/REV/DISKOMINFO/{year}",
    DocumentKind.REPORT: "000.8.3.3/{seq}/LHP/DISKOMINFO/{year}",
    DocumentKind.SOCIALISATION: "000.8.3.3/{seq}/BA-SOS/DISKOMINFO/{year}",
    DocumentKind.RECORD: "000.8.3.3/{seq}/RJ/DISKOMINFO/{year}",
}

PATTERN_FIELDS = frozenset({"seq", "year", "month"})


def validate_number_pattern(pattern: str) -> None:
    try:
        fields = [name for _text, name, _spec, _conv in string.Formatter().parse(pattern) if name]
    except ValueError:
        raise ValidationError(_("Pola nomor tidak valid (periksa tanda kurung kurawal).")) from None
    unknown = set(fields) - PATTERN_FIELDS
    if unknown:
        raise ValidationError(
            _("Isian tidak dikenal: %(names)s. Gunakan {seq}, {year} dan {month}.")
            % {"names": ", ".join(sorted(unknown))}
        )
    if "seq" not in fields or "year" not in fields:
        raise ValidationError(_("Pola nomor wajib memuat {seq} dan {year}."))
    try:
        pattern.format(seq=1, year=2026, month="VIII")
    except (ValueError, KeyError, IndexError):
        raise ValidationError(_("Pola nomor tidak valid.")) from None


def logo_path(instance: "Letterhead", filename: str) -> str:
    # A generated name: the uploader's file name never reaches the file system.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "png"
    return f"letterhead/{uuid.uuid4().hex}.{suffix[:4]}"


class Letterhead(models.Model):
    """The *kop surat* printed on every document; a single row edited by the administrator."""

    region_name = models.CharField(
        _("nama pemerintah daerah"), max_length=150, default="PEMERINTAH KABUPATEN CONTOH"
    )
    agency_name = models.CharField(
        _("nama dinas"), max_length=150, default="DINAS KOMUNIKASI DAN INFORMATIKA"
    )
    address = models.CharField(
        _("alamat"),
        max_length=250,
        default="Jalan Jenderal Sudirman Nomor 1, Contoh 12345",
    )
    city = models.CharField(
        _("tempat penandatanganan"),
        max_length=80,
        default="Contoh",
        help_text=_("Nama kota/ibu kota kabupaten sebelum tanggal dokumen."),
    )
    phone = models.CharField(_("telepon"), max_length=60, default="(0123) 456789")
    email = models.EmailField(_("e-mail"), default="diskominfo@contohkab.go.id")
    website = models.CharField(_("laman"), max_length=100, default="diskominfo.contohkab.go.id")
    logo = models.ImageField(
        _("lambang daerah"),
        upload_to=logo_path,
        blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg"])],
        help_text=_("PNG atau JPEG. Kosongkan untuk memakai lambang contoh."),
    )
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("kop surat")
        verbose_name_plural = _("kop surat")

    def __str__(self) -> str:
        return f"{self.region_name} — {self.agency_name}"

    def save(self, *args, **kwargs):
        self.pk = 1  # a singleton
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> "Letterhead":
        letterhead, _created = cls.objects.get_or_create(pk=1)
        return letterhead

    @property
    def issuer(self) -> str:
        """The issuing office as printed on the verification page."""
        return f"{self.agency_name}, {self.region_name}"

    def pattern_for(self, kind: str) -> str:
        row = self.number_patterns.filter(kind=kind).first()
        return row.pattern if row else DEFAULT_PATTERNS[kind]


class NumberPattern(models.Model):
    """The letter-number pattern of one document kind (yearly counter ``{seq}``)."""

    letterhead = models.ForeignKey(
        Letterhead, on_delete=models.CASCADE, related_name="number_patterns"
    )
    kind = models.CharField(_("jenis dokumen"), max_length=30, choices=DocumentKind.choices)
    pattern = models.CharField(
        _("pola nomor"),
        max_length=120,
        unique=True,
        validators=[validate_number_pattern],
        help_text=_(
            "{seq}: nomor urut tahunan per jenis dokumen, {year}: tahun, "
            "{month}: bulan dalam angka Romawi. Contoh: 000.8.3.3/{seq}/DISKOMINFO/{year}"
        ),
    )

    class Meta:
        verbose_name = _("pola nomor dokumen")
        verbose_name_plural = _("pola nomor dokumen")
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["letterhead", "kind"], name="uniq_pattern_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.pattern}"


class DocumentStatus(models.TextChoices):
    PENDING = "pending", _("Sedang dibuat")
    READY = "ready", _("Siap")
    FAILED = "failed", _("Gagal dibuat")


class RenderFailure(models.TextChoices):
    """Why a document could not be made (shown to staff beside *gagal dibuat*)."""

    TOO_MANY_PAGES = "pages", _("dokumen melebihi batas jumlah halaman")
    TOO_SLOW = "time", _("pembuatan dokumen melebihi batas waktu")
    ERROR = "error", _("terjadi galat saat membuat dokumen")


def document_path(instance: "Document", filename: str) -> str:
    return f"documents/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.pdf"


class Document(models.Model):
    """One archived official document. Once ``ready`` it never changes.

    ``log`` is the transition the document stands at: the one that caused it for a
    checkpoint document, the newest one when someone asked for a *rekam jejak*
    (``requested_by`` set). Content is built from the records up to ``log`` only, so a
    late render prints the checkpoint as it was.
    """

    request = models.ForeignKey(
        "requests_intake.ApplicationRequest",
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("usulan"),
    )
    kind = models.CharField(_("jenis"), max_length=30, choices=DocumentKind.choices)
    title = models.CharField(_("judul"), max_length=200)
    number = models.CharField(_("nomor"), max_length=120)
    year = models.PositiveIntegerField(_("tahun"))
    sequence = models.PositiveIntegerField(_("nomor urut"))
    code = models.CharField(_("kode verifikasi"), max_length=8, unique=True)
    log = models.ForeignKey(
        "workflow.TransitionLog",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("transisi"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diminta oleh"),
    )
    issued_at = models.DateTimeField(_("tanggal dokumen"))
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    # The lease of the worker rendering it: another worker leaves the document alone until
    # the lease has run out (then the first one is taken as dead and the render restarts).
    render_started_at = models.DateTimeField(_("mulai dibuat"), null=True, blank=True)
    failure = models.CharField(
        _("sebab gagal"), max_length=10, choices=RenderFailure.choices, blank=True
    )
    error = models.TextField(_("galat terakhir"), blank=True)
    file = models.FileField(_("berkas"), upload_to=document_path, max_length=200, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True, db_index=True)
    size = models.PositiveIntegerField(_("ukuran"), null=True, blank=True)
    pages = models.PositiveSmallIntegerField(_("halaman"), null=True, blank=True)
    issuer = models.CharField(_("instansi penerbit"), max_length=300, blank=True)
    rendered_at = models.DateTimeField(_("selesai dibuat"), null=True, blank=True)
    render_seconds = models.FloatField(_("lama pembuatan (detik)"), null=True, blank=True)

    class Meta:
        verbose_name = _("dokumen resmi")
        verbose_name_plural = _("dokumen resmi")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["request", "created_at"], name="doc_request_time_idx")]
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="uniq_document_number"),
            # A checkpoint yields its document once; a rekam jejak may be asked for often.
            models.UniqueConstraint(
                fields=["log", "kind"],
                condition=Q(requested_by__isnull=True),
                name="uniq_checkpoint_document",
            ),
            models.CheckConstraint(
                condition=~Q(status="ready") | ~Q(sha256=""), name="ready_document_has_hash"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.number}"

    def save(self, *args, **kwargs):
        if getattr(self, "_archived", False):
            raise ValueError("An archived document never changes.")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("reports:download", args=[self.request_id, self.pk])

    def delete(self, *args, **kwargs):
        raise ValueError("Archived documents are never deleted.")

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # Loaded as archived: this instance refuses to save (the archive is immutable).
        instance._archived = instance.status == DocumentStatus.READY
        return instance

    def get_preview_url(self) -> str:
        return reverse("reports:preview", args=[self.request_id, self.pk])

    @property
    def is_ready(self) -> bool:
        return self.status == DocumentStatus.READY

    @property
    def code_display(self) -> str:
        return f"{self.code[:4]}-{self.code[4:]}"

    @property
    def verify_path(self) -> str:
        return reverse("reports:verify_code", args=[self.code_display])

    @property
    def verify_url(self) -> str:
        return settings.SOPAPP_PUBLIC_URL + self.verify_path

    @property
    def download_name(self) -> str:
        safe = "".join(c if c.isalnum() else "-" for c in self.number).strip("-")
        return f"{self.kind}-{safe}.pdf"
