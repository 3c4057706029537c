"""The official documents: letterhead, numbering, and the immutable archive.

Indonesian words kept in code: *kop surat* (letterhead), *berita acara* (minutes),
*lembar disposisi* (routing slip), *rekam jejak* (the full record of a proposal).
"""

import string
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    RECEIPT = "tanda_terima", _("Tanda Terima Usulan")
    NOTA_DINAS = "nota_dinas", _("Nota Dinas")
    KADIS_DISPOSITION = "disposisi", _("Lembar Disposisi Kepala Dinas")
    LETTER = "surat", _("Surat Kepala Dinas kepada Perangkat Daerah")
    INVITATION = "undangan", _("Surat Undangan")
    DESIGN = "rancangan_sistem", _("Rancangan Sistem")
    PRESENTATION = "ba_presentasi", _("Berita Acara Presentasi")
    REVIEW = "catatan_reviu", _("Catatan Reviu")
    REPORT = "laporan", _("Laporan Hasil Pembuatan Aplikasi")
    SOCIALISATION = "ba_sosialisasi", _("Berita Acara Sosialisasi")
    HANDOVER = "ba_serah_terima", _("Berita Acara Serah Terima Aplikasi")
    RECORD = "rekam_jejak", _("Rekam Jejak Usulan")
    # Issued by earlier versions; kept so that their archive entries still read.
    DISPOSITION = "lembar_disposisi", _("Lembar Disposisi (format lama)")
    DECISION = "keputusan", _("Keputusan Kepala Dinas (format lama)")


class NumberSource(models.TextChoices):
    COUNTER = "counter", _("Nomor urut tahunan aplikasi ini")
    REGISTER = "register", _("Diisi dari register surat (mis. SRIKANDI)")


DEFAULT_CLASSIFICATION = "500.12"
DEFAULT_PATTERN = "{code}/{seq}/DISKOMINFO/{year}"

PATTERN_FIELDS = frozenset({"seq", "year", "month", "code"})


def validate_number_pattern(pattern: str) -> None:
    try:
        fields = [name for _text, name, _spec, _conv in string.Formatter().parse(pattern) if name]
    except ValueError:
        raise ValidationError(_("Pola nomor tidak valid (periksa tanda kurung kurawal).")) from None
    unknown = set(fields) - PATTERN_FIELDS
    if unknown:
        raise ValidationError(
            _("Isian tidak dikenal: %(names)s. Gunakan {code}, {seq}, {year} dan {month}.")
            % {"names": ", ".join(sorted(unknown))}
        )
    if "seq" not in fields or "year" not in fields:
        raise ValidationError(_("Pola nomor wajib memuat {seq} dan {year}."))
    try:
        pattern.format(seq=1, year=2026, month="VIII", code="500.12")
    except (ValueError, KeyError, IndexError):
        raise ValidationError(_("Pola nomor tidak valid.")) from None


class PaperSize(models.TextChoices):
    A4 = "A4", _("A4 (210 × 297 mm)")
    F4 = "F4", _("F4/folio (215 × 330 mm)")


class FontFamily(models.TextChoices):
    ARIAL = "arial", _("Arial")
    TIMES = "times", _("Times New Roman")
    BOOKMAN = "bookman", _("Bookman Old Style")


# The installed metric-compatible faces stand in where the named one is missing.
FONT_STACKS = {
    FontFamily.ARIAL: '"Arial", "Liberation Sans", "DejaVu Sans", sans-serif',
    FontFamily.TIMES: '"Times New Roman", "Liberation Serif", "DejaVu Serif", serif',
    FontFamily.BOOKMAN: '"Bookman Old Style", "TeX Gyre Bonum", "Liberation Serif", serif',
}


def logo_path(instance: "Letterhead", filename: str) -> str:
    # A generated name: the uploader's file name never reaches the file system.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "png"
    return f"letterhead/{uuid.uuid4().hex}.{suffix[:4]}"


NUMBERING_KEY = "sop:numbering"
_NUMBERING = (
    "id",
    "letterhead_id",
    "kind",
    "classification_code",
    "pattern",
    "source",
    "academic_titles",
)


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
    paper_size = models.CharField(
        _("ukuran kertas"), max_length=2, choices=PaperSize.choices, default=PaperSize.A4
    )
    font_family = models.CharField(
        _("jenis huruf"), max_length=10, choices=FontFamily.choices, default=FontFamily.ARIAL
    )
    font_size = models.DecimalField(
        _("ukuran huruf (pt)"),
        max_digits=3,
        decimal_places=1,
        default=Decimal("11.5"),
        validators=[MinValueValidator(Decimal("9")), MaxValueValidator(Decimal("13"))],
    )
    margin_top = models.PositiveSmallIntegerField(
        _("margin atas (mm)"), default=20, validators=[MinValueValidator(10), MaxValueValidator(50)]
    )
    margin_right = models.PositiveSmallIntegerField(
        _("margin kanan (mm)"),
        default=20,
        validators=[MinValueValidator(10), MaxValueValidator(50)],
    )
    margin_bottom = models.PositiveSmallIntegerField(
        _("margin bawah (mm)"),
        default=30,
        validators=[MinValueValidator(25), MaxValueValidator(50)],
        help_text=_("Termasuk ruang kaki halaman (kode QR dan nomor halaman)."),
    )
    margin_left = models.PositiveSmallIntegerField(
        _("margin kiri (mm)"), default=25, validators=[MinValueValidator(10), MaxValueValidator(50)]
    )
    esign_since = models.DateField(
        _("tanda tangan elektronik sejak"),
        null=True,
        blank=True,
        help_text=_(
            "Dokumen bertanggal sebelum tanggal ini ditandatangani di atas kertas, di luar "
            "aplikasi: tidak menunggu tanda tangan elektronik. Kosongkan bila semua dokumen "
            "ditandatangani secara elektronik."
        ),
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
        cache.delete(NUMBERING_KEY)

    @classmethod
    def load(cls) -> "Letterhead":
        letterhead, _created = cls.objects.get_or_create(pk=1)
        return letterhead

    @property
    def issuer(self) -> str:
        """The issuing office as printed on the verification page."""
        return f"{self.agency_name}, {self.region_name}"

    @classmethod
    def numbering_for(cls, kind: str) -> "NumberPattern":
        """The numbering setting of ``kind`` (an unsaved default when none is stored), from
        the master-data cache: read by every numbered document; saving a setting or the
        letterhead clears it, as other master data. Plain values are cached (cheaper to
        read back than rows)."""
        found = cache.get(NUMBERING_KEY)
        if found is None:
            found = {
                row["kind"]: row
                for row in NumberPattern.objects.filter(letterhead_id=1).values(*_NUMBERING)
            }
            cache.set(NUMBERING_KEY, found, getattr(settings, "SOPAPP_MASTERDATA_TTL", 60))
        values = found.get(kind)
        return NumberPattern(**values) if values else NumberPattern(letterhead_id=1, kind=kind)

    def pattern_for(self, kind: str) -> str:
        return self.numbering_for(kind).pattern

    @property
    def page_width_mm(self) -> int:
        return 210 if self.paper_size == PaperSize.A4 else 215

    @property
    def page_height_mm(self) -> int:
        return 297 if self.paper_size == PaperSize.A4 else 330


class NumberPattern(models.Model):
    """How letters of one kind are numbered: classification code, pattern, and source.

    ``{seq}`` is a yearly counter per classification code, so kinds sharing a code share
    the counter and never the number. With the register as source the number is typed
    in from the agency's register (SRIKANDI) and the document is issued then.
    """

    letterhead = models.ForeignKey(
        Letterhead, on_delete=models.CASCADE, related_name="number_patterns"
    )
    kind = models.CharField(_("jenis dokumen"), max_length=30, choices=DocumentKind.choices)
    classification_code = models.CharField(
        _("kode klasifikasi arsip"),
        max_length=30,
        default=DEFAULT_CLASSIFICATION,
        help_text=_("Menurut Permendagri 83 Tahun 2022, misalnya 500.12."),
    )
    pattern = models.CharField(
        _("pola nomor"),
        max_length=120,
        default=DEFAULT_PATTERN,
        validators=[validate_number_pattern],
        help_text=_(
            "{code}: kode klasifikasi, {seq}: nomor urut tahunan per kode klasifikasi, "
            "{year}: tahun, {month}: bulan dalam angka Romawi. "
            "Contoh: {code}/{seq}/DISKOMINFO/{year}"
        ),
    )
    source = models.CharField(
        _("sumber nomor"),
        max_length=10,
        choices=NumberSource.choices,
        default=NumberSource.COUNTER,
    )
    academic_titles = models.BooleanField(_("cetak gelar akademik penanda tangan"), default=True)

    class Meta:
        verbose_name = _("pengaturan nomor dokumen")
        verbose_name_plural = _("pengaturan nomor dokumen")
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["letterhead", "kind"], name="uniq_pattern_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.pattern}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        cache.delete(NUMBERING_KEY)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        cache.delete(NUMBERING_KEY)
        return result

    @property
    def counter_key(self) -> str:
        if "{code}" in self.pattern:
            return f"doc:code:{self.classification_code}"
        return f"doc:{self.kind}"

    def format(self, *, seq: int, year: int, month: str) -> str:
        return self.pattern.format(seq=seq, year=year, month=month, code=self.classification_code)


class DocumentStatus(models.TextChoices):
    AWAITING_NUMBER = "awaiting", _("Menunggu nomor")
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
    # Empty for a working paper (it carries the registration number) and while a letter
    # waits for its number from the register.
    number = models.CharField(_("nomor"), max_length=120, blank=True)
    year = models.PositiveIntegerField(_("tahun"))
    sequence = models.PositiveIntegerField(_("nomor urut"))  # 0: none from our counter
    # A laporan keeps its number through its checks: each check archives a new version.
    version = models.PositiveSmallIntegerField(_("versi"), default=1)
    first_version = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="later_versions",
        verbose_name=_("versi pertama"),
    )
    number_entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nomor diisi oleh"),
    )
    number_entered_at = models.DateTimeField(_("nomor diisi"), null=True, blank=True)
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
            models.UniqueConstraint(
                fields=["kind", "number", "version"],
                condition=~Q(number=""),
                name="uniq_document_number",
            ),
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
        return f"{self.title} {self.number_display}"

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
    def number_display(self) -> str:
        """The letter number; "menunggu nomor" while a letter waits for it; empty for a
        working paper (it carries the proposal's registration number instead)."""
        if self.number:
            return self.number
        if self.status == DocumentStatus.AWAITING_NUMBER:
            return str(_("menunggu nomor"))
        return ""

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
        if not safe:
            safe = self.code
        suffix = f"-v{self.version}" if self.version > 1 else ""
        return f"{self.kind}-{safe}{suffix}.pdf"
