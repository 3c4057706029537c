"""What each SOP step produced, one record per step kind, tied to its log row."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflow.models.log import TransitionLog
from workflow.states import Role


class StepRecord(models.Model):
    """What a step produced, tied to the transition that recorded it."""

    request = models.ForeignKey(
        "requests_intake.ApplicationRequest", on_delete=models.PROTECT, related_name="+"
    )
    log = models.OneToOneField(TransitionLog, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dicatat oleh"),
    )
    created_at = models.DateTimeField(_("dicatat"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk} ({self.request_id})"


class Sifat(models.TextChoices):
    BIASA = "biasa", _("Biasa")
    SEGERA = "segera", _("Segera")
    SANGAT_SEGERA = "sangat_segera", _("Sangat Segera")
    RAHASIA = "rahasia", _("Rahasia")


class Receipt(StepRecord):
    """Step 2: the Kasi registers the incoming letter (agenda book)."""

    agenda_number = models.CharField(_("nomor agenda"), max_length=50)
    received_date = models.DateField(_("tanggal diterima"))
    sifat = models.CharField(_("sifat"), max_length=20, choices=Sifat.choices)
    study_notes = models.TextField(_("hasil telaah"), blank=True)

    class Meta(StepRecord.Meta):
        verbose_name = _("penerimaan usulan")
        verbose_name_plural = _("penerimaan usulan")
        constraints = [models.UniqueConstraint(fields=["request"], name="uniq_receipt_request")]


class Instruction(models.TextChoices):
    RESPONSE = "tanggapan_saran", _("Tanggapan dan saran")
    PROCESS = "proses_lanjut", _("Proses lebih lanjut")
    COORDINATE = "koordinasikan", _("Koordinasikan")
    STUDY = "telaah", _("Telaah / kaji")
    FOR_INFO = "untuk_diketahui", _("Untuk diketahui")
    DECIDE = "mohon_keputusan", _("Mohon keputusan")


class Disposition(StepRecord):
    """Step 3: a forward with its disposition (Kasi → Kabid, Kabid → Kadis)."""

    from_role = models.CharField(_("dari"), max_length=20, choices=Role.choices)
    to_role = models.CharField(_("diteruskan kepada"), max_length=20, choices=Role.choices)
    instructions = models.JSONField(_("instruksi"), default=list)
    note = models.TextField(_("catatan"), blank=True)

    class Meta(StepRecord.Meta):
        verbose_name = _("disposisi")
        verbose_name_plural = _("disposisi")

    def instruction_labels(self) -> list[str]:
        labels = dict(Instruction.choices)
        return [str(labels.get(code, code)) for code in self.instructions]


class Decision(StepRecord):
    """Step 4: the Kepala Dinas decides perlu / tidak perlu."""

    needed = models.BooleanField(_("perlu"))
    reason = models.TextField(_("alasan / pertimbangan"))
    assigned_prakom = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staf Prakom pelaksana"),
    )

    class Meta(StepRecord.Meta):
        verbose_name = _("keputusan Kepala Dinas")
        verbose_name_plural = _("keputusan Kepala Dinas")
        constraints = [models.UniqueConstraint(fields=["request"], name="uniq_decision_request")]


class DesignRecord(StepRecord):
    """Step 5: data structure, program flow and interface design (documents attached)."""

    summary = models.TextField(_("ringkasan rancangan"))

    class Meta(StepRecord.Meta):
        verbose_name = _("rancangan sistem")
        verbose_name_plural = _("rancangan sistem")


class PresentationRound(StepRecord):
    """Step 6: one presentation of the design to the users."""

    round = models.PositiveIntegerField(_("putaran"))
    held_on = models.DateField(_("tanggal"))
    place = models.CharField(_("tempat"), max_length=200)
    attendees = models.JSONField(_("daftar hadir"), default=list)
    points_raised = models.TextField(_("hal-hal yang disampaikan pengguna"))

    class Meta(StepRecord.Meta):
        verbose_name = _("presentasi")
        verbose_name_plural = _("presentasi")


class ReviewOutcome(models.TextChoices):
    ACCEPTED = "accepted", _("Rancangan diterima, lanjut ke manual dan laporan")
    ANOTHER_ROUND = "another_round", _("Perlu presentasi ulang kepada pengguna")


class ReviewRound(StepRecord):
    """Step 7: what the users asked for and what was changed."""

    round = models.PositiveIntegerField(_("putaran"))
    requested_changes = models.TextField(_("permintaan pengguna"))
    changes_made = models.TextField(_("perbaikan yang dilakukan"))
    outcome = models.CharField(_("hasil"), max_length=20, choices=ReviewOutcome.choices)

    class Meta(StepRecord.Meta):
        verbose_name = _("reviu")
        verbose_name_plural = _("reviu")


class ReportRecord(StepRecord):
    """Step 8: the manual and the report handed in for checking."""

    round = models.PositiveIntegerField(_("putaran"))
    summary = models.TextField(_("ringkasan laporan"))
    manual_version = models.CharField(_("versi buku manual"), max_length=30)
    application_url = models.URLField(_("alamat aplikasi"), blank=True)

    class Meta(StepRecord.Meta):
        verbose_name = _("laporan")
        verbose_name_plural = _("laporan")


class Check(StepRecord):
    """Steps 9–11: one official's check of the report: accepted or returned."""

    report = models.ForeignKey(ReportRecord, on_delete=models.PROTECT, related_name="checks")
    role = models.CharField(_("pemeriksa"), max_length=20, choices=Role.choices)
    accepted = models.BooleanField(_("diterima"))
    note = models.TextField(_("catatan"), blank=True)

    class Meta(StepRecord.Meta):
        verbose_name = _("pemeriksaan laporan")
        verbose_name_plural = _("pemeriksaan laporan")


class Socialisation(StepRecord):
    """Step 12: the roll-out to the users."""

    held_on = models.DateField(_("tanggal"))
    place = models.CharField(_("tempat"), max_length=200)
    participants = models.JSONField(_("peserta"), default=list)
    material = models.TextField(_("materi"))

    class Meta(StepRecord.Meta):
        verbose_name = _("sosialisasi")
        verbose_name_plural = _("sosialisasi")
