"""The application catalogue (*katalog aplikasi*): the regency's applications, whether built
through the SOP or older than this system, and the step-8 record of a built application.

``Application`` is the catalogue entry an SPBE evaluation asks about. ``Release`` is what step 8
of the SOP records about the application it delivers (address, source, deployment, user
acceptance and security assessment); at handover it is linked to the catalogue entry.
"""

import re
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.hosting import Hosting
from requests_intake.models import PerangkatDaerah


class ApplicationStatus(models.TextChoices):
    ACTIVE = "active", _("Aktif")
    CHANGING = "changing", _("Sedang diubah")
    RETIRED = "retired", _("Dihentikan")


class ApplicationKind(models.TextChoices):
    """*Aplikasi Umum* are mandated for common use across government; *khusus* serve one need."""

    KHUSUS = "khusus", _("Aplikasi Khusus")
    UMUM = "umum", _("Aplikasi Umum")


class Platform(models.TextChoices):
    WEB = "web", _("Web")
    MOBILE = "mobile", _("Mobile")
    DESKTOP = "desktop", _("Desktop")


def _current_year() -> int:
    return timezone.localdate().year


class ApplicationQuerySet(models.QuerySet):
    def in_use(self) -> "ApplicationQuerySet":
        return self.exclude(status=ApplicationStatus.RETIRED)


class Application(models.Model):
    """An application of the regional government (an entry of the *katalog aplikasi*)."""

    name = models.CharField(_("nama aplikasi"), max_length=200)
    unit = models.ForeignKey(
        PerangkatDaerah,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("Perangkat Daerah pemilik"),
    )
    kind = models.CharField(
        _("jenis"), max_length=10, choices=ApplicationKind.choices, default=ApplicationKind.KHUSUS
    )
    platform = models.CharField(
        _("platform"), max_length=10, choices=Platform.choices, default=Platform.WEB
    )
    purpose = models.TextField(_("tujuan / fungsi"))
    users = models.TextField(_("pengguna"), blank=True)
    url = models.URLField(_("alamat (URL)"), max_length=300, blank=True)
    hosting = models.CharField(
        _("tempat hosting"), max_length=10, choices=Hosting.choices, default=Hosting.PDD
    )
    hosting_note = models.CharField(_("keterangan hosting"), max_length=200, blank=True)
    data_handled = models.TextField(_("data yang dikelola"), blank=True)
    has_personal_data = models.BooleanField(_("memuat data pribadi"), default=False)
    personal_data_note = models.TextField(
        _("data pribadi dan dasar pemrosesannya"),
        blank=True,
        help_text=_("Jenis data pribadi yang diproses dan dasar pemrosesannya (UU 27/2022)."),
    )
    technology = models.CharField(
        _("basis data dan bahasa pemrograman"), max_length=200, blank=True
    )
    integrations = models.TextField(_("integrasi"), blank=True)
    source_repository = models.CharField(_("repositori kode sumber"), max_length=300, blank=True)
    version = models.CharField(_("versi"), max_length=50, blank=True)
    year = models.PositiveSmallIntegerField(
        _("tahun dibangun"),
        default=_current_year,
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.ACTIVE,
    )
    retired_on = models.DateField(_("tanggal dihentikan"), null=True, blank=True)
    retired_reason = models.TextField(_("alasan dihentikan"), blank=True)
    proposal = models.ForeignKey(
        "requests_intake.ApplicationRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="catalogue_entries",
        verbose_name=_("usulan asal"),
    )
    created_at = models.DateTimeField(_("dicatat"), default=timezone.now)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dicatat oleh"),
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("aplikasi")
        verbose_name_plural = _("katalog aplikasi")
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["unit", "name"], name="cat_app_unit_name_idx"),
            models.Index(fields=["status"], name="cat_app_status_idx"),
            models.Index(fields=["year"], name="cat_app_year_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="retired") | models.Q(retired_on__isnull=False),
                name="cat_app_retired_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalogue:detail", args=[self.pk])

    @property
    def is_retired(self) -> bool:
        return self.status == ApplicationStatus.RETIRED


# A test-account note describes an account; it must not carry the secret itself.
_SECRET_PATTERN = re.compile(
    r"(password|passwd|pwd|kata\s*sandi|sandi|pin)\s*[:=]\s*\S", re.IGNORECASE
)


def refuse_secrets(text: str) -> None:
    if _SECRET_PATTERN.search(text or ""):
        raise ValidationError(
            _(
                "Jangan menuliskan kata sandi di sini. Catat nama akun dan cara memperolehnya; "
                "kata sandi diserahkan terpisah."
            ),
            code="secret",
        )


def release_document_path(instance: "Release", filename: str) -> str:
    # Generated names only: the user's file name never reaches the file system.
    suffix = PurePath(filename).suffix.lower()[:6]
    return f"releases/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Release(models.Model):
    """What step 8 records about the application a proposal delivers (*catatan aplikasi*).

    One row per proposal, updated when step 8 is repeated after a check sends it back. No
    password is ever stored: the test-account note names the account and how to obtain it.
    """

    proposal = models.OneToOneField(
        "requests_intake.ApplicationRequest",
        on_delete=models.PROTECT,
        related_name="release",
        verbose_name=_("usulan"),
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="releases",
        verbose_name=_("entri katalog"),
    )
    url = models.URLField(_("alamat aplikasi (URL)"), max_length=300)
    test_account_note = models.TextField(
        _("catatan akun uji"),
        blank=True,
        validators=[refuse_secrets],
        help_text=_("Nama akun uji dan cara memperolehnya — tanpa kata sandi."),
    )
    source_repository = models.CharField(_("repositori kode sumber"), max_length=300)
    version = models.CharField(_("versi"), max_length=50)
    hosting = models.CharField(_("tempat penempatan"), max_length=10, choices=Hosting.choices)
    hosting_note = models.CharField(_("keterangan penempatan"), max_length=200, blank=True)

    uat_document = models.FileField(
        _("hasil uji penerimaan pengguna (UAT)"),
        upload_to=release_document_path,
        max_length=200,
        blank=True,
    )
    uat_original_name = models.CharField(max_length=200, blank=True)
    uat_sha256 = models.CharField(max_length=64, blank=True)

    security_document = models.FileField(
        _("hasil penilaian keamanan"),
        upload_to=release_document_path,
        max_length=200,
        blank=True,
    )
    security_original_name = models.CharField(max_length=200, blank=True)
    security_sha256 = models.CharField(max_length=64, blank=True)
    security_assessed_on = models.DateField(_("tanggal penilaian keamanan"), null=True, blank=True)
    security_assessor = models.CharField(_("penilai keamanan"), max_length=200, blank=True)

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dicatat oleh"),
    )
    recorded_at = models.DateTimeField(_("dicatat"), default=timezone.now)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        verbose_name = _("catatan aplikasi (langkah 8)")
        verbose_name_plural = _("catatan aplikasi (langkah 8)")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(security_document="")
                | (models.Q(security_assessed_on__isnull=False) & ~models.Q(security_assessor="")),
                name="cat_release_security_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.url} ({self.version})"
