"""The office around the SOP's steps: the Kasi's study checklist, returns to the unit for
completion, meetings with the unit's users (invitations, attendance) and the unit's
agreement to a design round.

Exported by ``workflow.models``; the models belong to the ``workflow`` app.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.hosting import Hosting
from workflow.models.log import TransitionLog
from workflow.models.records import StepRecord
from workflow.states import Role, State

#: The Kasi's study may leave open where the application will run; the places themselves are
#: the catalogue's (``catalogue.hosting.Hosting``), the one list of them.
HOSTING_UNDECIDED = "unknown"
STUDY_HOSTING_CHOICES = [*Hosting.choices, (HOSTING_UNDECIDED, _("Belum ditentukan"))]


class StudyChecklist(models.Model):
    """The Kasi's study of a proposal (step 2, and again when returning it at step 3).

    Kept beside the transition that recorded it: the receipt, or a return for completion.
    Internal to Diskominfo: the requesting unit does not see it.
    """

    request = models.ForeignKey(
        "requests_intake.ApplicationRequest", on_delete=models.PROTECT, related_name="+"
    )
    log = models.OneToOneField(TransitionLog, on_delete=models.PROTECT, related_name="+")
    letter_signed = models.BooleanField(
        _("surat ditandatangani kepala Perangkat Daerah dan ditujukan kepada Kepala Dinas"),
        default=False,
    )
    tor_attached = models.BooleanField(_("KAK/TOR dilampirkan"), default=False)
    existing_app = models.TextField(
        _("aplikasi yang sudah ada / Aplikasi Umum yang dapat digunakan"), blank=True
    )
    personal_data = models.TextField(_("data pribadi dan dasar pemrosesannya"), blank=True)
    budget = models.TextField(_("anggaran"), blank=True)
    hosting = models.CharField(
        _("hosting"), max_length=10, choices=STUDY_HOSTING_CHOICES, default=HOSTING_UNDECIDED
    )
    note = models.TextField(_("catatan telaah"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("daftar periksa telaah")
        verbose_name_plural = _("daftar periksa telaah")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.request_id} @ {self.created_at:%Y-%m-%d}"


class CompletionRequest(StepRecord):
    """A return of the proposal to the requesting unit (or to the Kasi) to be completed."""

    round = models.PositiveIntegerField(_("putaran"))
    to_unit = models.BooleanField(_("kepada Perangkat Daerah"), default=True)
    missing = models.TextField(_("yang perlu dilengkapi"))

    class Meta(StepRecord.Meta):
        verbose_name = _("pengembalian untuk dilengkapi")
        verbose_name_plural = _("pengembalian untuk dilengkapi")


class MeetingKind(models.TextChoices):
    PRESENTATION = "presentation", _("Presentasi rancangan")
    SOCIALISATION = "socialisation", _("Sosialisasi")


# The meeting scheduled while a proposal stands in its step.
MEETING_OF_STATE: dict[str, str] = {
    State.PRESENTATION: MeetingKind.PRESENTATION,
    State.SOCIALISATION: MeetingKind.SOCIALISATION,
}


class Meeting(models.Model):
    """A scheduled presentation (step 6) or socialisation (step 12) with the unit's users."""

    request = models.ForeignKey(
        "requests_intake.ApplicationRequest", on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField(_("jenis"), max_length=20, choices=MeetingKind.choices)
    round = models.PositiveIntegerField(_("putaran"), default=1)
    date = models.DateField(_("tanggal"))
    time = models.TimeField(_("waktu"))
    place = models.CharField(_("tempat"), max_length=200, blank=True)
    online_link = models.URLField(_("tautan daring"), max_length=300, blank=True)
    agenda = models.TextField(_("acara"), blank=True)
    held = models.BooleanField(_("sudah dilaksanakan"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("jadwal pertemuan")
        verbose_name_plural = _("jadwal pertemuan")
        ordering = ["date", "time", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%Y-%m-%d}"


class Invitation(models.Model):
    """One invited user of the unit: whether they confirmed, and whether they came."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(_("konfirmasi hadir"), null=True, blank=True)
    attended = models.BooleanField(_("hadir"), null=True, blank=True)

    class Meta:
        verbose_name = _("undangan")
        verbose_name_plural = _("undangan")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="uniq_invitation_user")
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} → {self.user_id}"


class UnitAgreement(StepRecord):
    """Step 7: the requesting unit's answer to a design round (who, when, as which role)."""

    round = models.PositiveIntegerField(_("putaran"))
    agreed = models.BooleanField(_("rancangan disetujui"))
    points = models.TextField(_("hal yang perlu diperbaiki"), blank=True)
    role = models.CharField(_("sebagai"), max_length=20, choices=Role.choices)

    class Meta(StepRecord.Meta):
        verbose_name = _("persetujuan rancangan")
        verbose_name_plural = _("persetujuan rancangan")


class Handover(models.Model):
    """Step 12 ends with the *Berita Acara Serah Terima*: what was handed over, to whom."""

    request = models.OneToOneField(
        "requests_intake.ApplicationRequest", on_delete=models.PROTECT, related_name="handover"
    )
    log = models.OneToOneField(TransitionLog, on_delete=models.PROTECT, related_name="+")
    address = models.BooleanField(_("alamat aplikasi"), default=True)
    source = models.BooleanField(_("kode sumber"), default=True)
    documentation = models.BooleanField(_("dokumentasi (buku manual, laporan)"), default=True)
    admin_accounts_separately = models.BooleanField(
        _("akun administrator diserahkan terpisah"), default=True
    )
    receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("penerima dari Perangkat Daerah"),
    )
    note = models.TextField(_("keterangan"), blank=True)
    application = models.ForeignKey(
        "catalogue.Application",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entri katalog aplikasi"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("serah terima aplikasi")
        verbose_name_plural = _("serah terima aplikasi")

    def __str__(self) -> str:
        return f"{self.request_id} → {self.receiver_id}"


class ApplicationReuse(models.Model):
    """Step 4, *gunakan aplikasi yang ada*: the catalogued application that serves instead.

    Beside the Kepala Dinas's decision (a *tidak perlu* with its reason), kept apart so the
    decision's sealed content stays as it is for every proposal.
    """

    request = models.OneToOneField(
        "requests_intake.ApplicationRequest", on_delete=models.PROTECT, related_name="reuse"
    )
    log = models.OneToOneField(TransitionLog, on_delete=models.PROTECT, related_name="+")
    application = models.ForeignKey(
        "catalogue.Application",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("aplikasi yang digunakan"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("penggunaan aplikasi yang ada")
        verbose_name_plural = _("penggunaan aplikasi yang ada")

    def __str__(self) -> str:
        return f"{self.request_id} → {self.application_id}"


def pending_meeting(req, kind: str) -> Meeting | None:
    """The scheduled, not yet held meeting of ``kind`` of a proposal (or its pk)."""
    proposal_id = req if isinstance(req, int) else req.pk
    return (
        Meeting.objects.filter(request_id=proposal_id, kind=kind, held=False)
        .order_by("-created_at", "-pk")
        .first()
    )
