"""People and their posts: the user, role titles, acting officials (Plt./Plh.)."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflow import civil_service
from workflow.models.cache import forget
from workflow.states import Role


class User(AbstractUser):
    """A person. ``unit`` is set for requesting-unit staff (role ``pemohon``)."""

    unit = models.ForeignKey(
        "requests_intake.PerangkatDaerah",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("Perangkat Daerah"),
    )
    position = models.CharField(_("jabatan"), max_length=150, blank=True)
    nip = models.CharField(
        _("NIP"),
        max_length=30,
        blank=True,
        help_text=_("18 angka, tanpa spasi (PNS: NIP; PPPK: NI PPPK). Kosong untuk non-ASN."),
    )
    employment = models.CharField(
        _("status kepegawaian"),
        max_length=10,
        choices=civil_service.Employment.choices,
        default=civil_service.Employment.PNS,
    )
    rank = models.CharField(
        _("pangkat/golongan"), max_length=10, choices=civil_service.RANK_CHOICES, blank=True
    )
    academic_prefix = models.CharField(
        _("gelar depan"), max_length=40, blank=True, help_text=_("Misalnya: Dr., Ir.")
    )
    academic_suffix = models.CharField(
        _("gelar belakang"), max_length=60, blank=True, help_text=_("Misalnya: S.Kom., M.T.")
    )
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    email_notifications = models.BooleanField(
        _("kirim notifikasi lewat e-mail"),
        default=True,
        help_text=_("Notifikasi di aplikasi tetap tampil walaupun e-mail dimatikan."),
    )

    class Meta(AbstractUser.Meta):  # type: ignore[name-defined]  # the stubs omit Meta
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def clean(self) -> None:
        super().clean()
        self.nip = civil_service.compact_nip(self.nip)
        errors = civil_service.check_person(self.employment, self.nip, self.rank)
        if errors:
            raise ValidationError(errors)

    def signature_name(self, *, with_titles: bool = True) -> str:
        """The name under a signature, with academic titles where the document allows them."""
        name = self.get_full_name() or self.username
        if not with_titles:
            return name
        prefix = f"{self.academic_prefix} " if self.academic_prefix else ""
        suffix = f", {self.academic_suffix}" if self.academic_suffix else ""
        return f"{prefix}{name}{suffix}"

    @property
    def signer_data_missing(self) -> list[str]:
        return civil_service.missing_for_signature(self.employment, self.nip, self.rank)


class RoleTitle(models.Model):
    """The title shown for a role; editable because post names change (e.g. 2021 reform)."""

    role = models.CharField(_("peran"), max_length=20, choices=Role.choices, unique=True)
    title = models.CharField(_("sebutan jabatan"), max_length=200)
    short_title = models.CharField(_("sebutan singkat"), max_length=60)

    class Meta:
        verbose_name = _("sebutan peran")
        verbose_name_plural = _("sebutan peran")
        ordering = ["role"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        forget("sop:role-titles")


class ActingKind(models.TextChoices):
    PLT = "plt", _("Plt.")  # Pelaksana Tugas: the post is vacant or its holder long absent
    PLH = "plh", _("Plh.")  # Pelaksana Harian: the holder is briefly away (leave, duty travel)


# Posts an acting official can fill.
ACTING_ROLES = (Role.KASI, Role.KABID, Role.KADIS)


class ActingAssignment(models.Model):
    """A person given another official's role for a period (Plt./Plh.), by decree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="acting_assignments",
        verbose_name=_("pelaksana"),
    )
    role = models.CharField(
        _("peran yang dilaksanakan"),
        max_length=20,
        choices=[(r.value, r.label) for r in ACTING_ROLES],
    )
    kind = models.CharField(
        _("jenis"), max_length=3, choices=ActingKind.choices, default=ActingKind.PLH
    )
    absent_official = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pejabat yang digantikan"),
    )
    decree_number = models.CharField(_("nomor surat perintah"), max_length=100)
    start_date = models.DateField(_("mulai"))
    end_date = models.DateField(_("sampai"))
    note = models.CharField(_("keterangan"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("pelaksana tugas / harian")
        verbose_name_plural = _("pelaksana tugas / harian")
        ordering = ["-start_date", "pk"]
        indexes = [
            models.Index(fields=["user", "start_date", "end_date"], name="acting_period_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="acting_period_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.get_role_display()}: {self.user}"

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("Tanggal selesai tidak boleh sebelum tanggal mulai.")
        if self.user_id and self.absent_official_id and self.user_id == self.absent_official_id:
            errors["absent_official"] = _("Pelaksana tidak dapat menggantikan dirinya sendiri.")
        if errors:
            raise ValidationError(errors)
