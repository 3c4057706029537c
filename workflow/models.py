from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflow.states import Role, State


def _forget(key: str) -> None:
    from django.core.cache import cache

    cache.delete(key)


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
    nip = models.CharField(_("NIP"), max_length=30, blank=True)
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    email_notifications = models.BooleanField(
        _("kirim notifikasi lewat e-mail"),
        default=True,
        help_text=_("Notifikasi di aplikasi tetap tampil walaupun e-mail dimatikan."),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


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
        _forget("sop:role-titles")


class TransitionLog(models.Model):
    """Append-only record of every move of a proposal: one row per transition."""

    request = models.ForeignKey(
        "requests_intake.ApplicationRequest", on_delete=models.PROTECT, related_name="log"
    )
    transition = models.CharField(_("aksi"), max_length=40)
    from_state = models.CharField(_("dari status"), max_length=30, choices=State.choices)
    to_state = models.CharField(_("ke status"), max_length=30, choices=State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("pelaku"),
    )
    role = models.CharField(_("bertindak sebagai"), max_length=20, choices=Role.choices)
    note = models.TextField(_("catatan"), blank=True)
    # Why the step finished after its due date, given by the person finishing it.
    late_reason = models.TextField(_("alasan keterlambatan"), blank=True)
    created_at = models.DateTimeField(_("waktu"), default=timezone.now)
    # Tamper evidence (workflow.audit): the row's place in its proposal's log, and a SHA-256
    # over its content chained to the previous row's hash. ``manage.py verify_audit`` checks.
    seq = models.PositiveIntegerField(_("nomor urut"), null=True, editable=False)
    prev_hash = models.CharField(_("hash sebelumnya"), max_length=64, blank=True, editable=False)
    hash = models.CharField(_("hash"), max_length=64, blank=True, editable=False)
    # 1: the row's own fields only (rows written before format 2); 2: also the step record,
    # the proposal's identity and ``attachments`` (workflow.audit.canonical).
    hash_version = models.PositiveSmallIntegerField(_("format hash"), default=1, editable=False)
    # [id, SHA-256] of each attachment uploaded before this row and sealed by no earlier one.
    attachments = models.JSONField(_("lampiran yang disegel"), default=list, editable=False)
    # Set when the actor took the step as an acting official (Plt./Plh.) of ``role``.
    acting = models.ForeignKey(
        "workflow.ActingAssignment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sebagai pelaksana"),
    )

    class Meta:
        verbose_name = _("riwayat transisi")
        verbose_name_plural = _("riwayat transisi")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["request", "created_at"], name="log_request_time_idx"),
            models.Index(fields=["transition", "created_at"], name="log_transition_time_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["request", "seq"], name="uniq_log_request_seq")
        ]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.from_state} → {self.to_state}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("TransitionLog rows are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("TransitionLog rows are append-only.")


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


class StandardUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("hari kerja")
    CALENDAR_DAYS = "calendar_days", _("hari kalender")
    WEEKS = "weeks", _("minggu (5 hari kerja)")
    MONTHS = "months", _("bulan (20 hari kerja)")


# The default conversion of the SOP's table into working days.
WORKING_DAYS_PER_UNIT = {
    StandardUnit.WORKING_DAYS: 1,
    StandardUnit.WEEKS: 5,
    StandardUnit.MONTHS: 20,
}


class StepStandard(models.Model):
    """The time standard (*mutu baku*) of one SOP step; admin-editable.

    A change applies to steps entered afterwards: a running step keeps its due date.
    """

    step = models.PositiveSmallIntegerField(_("tahap"), unique=True)
    activity = models.CharField(_("kegiatan"), max_length=300)
    actor = models.CharField(_("pelaksana"), max_length=200)
    inputs = models.CharField(_("kelengkapan"), max_length=300)
    output = models.CharField(_("output"), max_length=300)
    amount = models.PositiveSmallIntegerField(_("waktu"))
    unit = models.CharField(_("satuan"), max_length=20, choices=StandardUnit.choices)

    class Meta:
        verbose_name = _("mutu baku tahap")
        verbose_name_plural = _("mutu baku tahap")
        ordering = ["step"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(step__gte=1, step__lte=12), name="standard_step_range"
            ),
            models.CheckConstraint(condition=models.Q(amount__gte=1), name="standard_amount_min"),
        ]

    def __str__(self) -> str:
        return f"{self.step}. {self.activity} ({self.amount} {self.get_unit_display()})"

    @property
    def calendar_days(self) -> bool:
        return self.unit == StandardUnit.CALENDAR_DAYS

    @property
    def measured_amount(self) -> int:
        """The standard in the unit it is measured in (working or calendar days)."""
        if self.calendar_days:
            return self.amount
        return self.amount * WORKING_DAYS_PER_UNIT[self.unit]


class CalendarDay(models.Model):
    """An exception to the default calendar (Mon–Fri minus the ``holidays`` package's dates).

    ``is_holiday=True`` adds a day off (e.g. a new cuti bersama); ``False`` makes a day a
    working day (e.g. a cuti bersama cancelled by decree).
    """

    class Source(models.TextChoices):
        PACKAGE = "package", _("dimuat dari daftar libur nasional")
        ADMIN = "admin", _("ditetapkan administrator")

    date = models.DateField(_("tanggal"), unique=True)
    is_holiday = models.BooleanField(_("hari libur"), default=True)
    name = models.CharField(_("keterangan"), max_length=200)
    source = models.CharField(
        _("sumber"), max_length=10, choices=Source.choices, default=Source.ADMIN
    )

    class Meta:
        verbose_name = _("hari libur / hari kerja khusus")
        verbose_name_plural = _("kalender hari kerja")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        _forget("sop:calendar-days")

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        _forget("sop:calendar-days")
        return result


class StepVisit(models.Model):
    """One stay of a proposal in one SOP step, measured against the step's standard.

    Loops make several visits of the same step (another presentation round, a returned
    report); each visit keeps the due date it got when it began.
    """

    request = models.ForeignKey(
        "requests_intake.ApplicationRequest", on_delete=models.PROTECT, related_name="visits"
    )
    step = models.PositiveSmallIntegerField(_("tahap"))
    entered_at = models.DateTimeField(_("mulai"))
    due_date = models.DateField(_("batas waktu"))
    standard_amount = models.PositiveSmallIntegerField(_("standar"))
    calendar_days = models.BooleanField(_("dalam hari kalender"), default=False)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    taken = models.PositiveIntegerField(_("waktu yang dipakai"), null=True, blank=True)
    on_time = models.BooleanField(_("tepat waktu"), null=True, blank=True)

    class Meta:
        verbose_name = _("pelaksanaan tahap")
        verbose_name_plural = _("pelaksanaan tahap")
        ordering = ["entered_at", "pk"]
        indexes = [
            models.Index(fields=["request", "entered_at"], name="visit_request_idx"),
            models.Index(fields=["finished_at", "step"], name="visit_finished_idx"),
            models.Index(fields=["step", "finished_at"], name="visit_step_finished_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["request"],
                condition=models.Q(finished_at__isnull=True),
                name="one_open_visit_per_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} step {self.step} from {self.entered_at:%Y-%m-%d}"


class ReminderLog(models.Model):
    """A reminder sent, so the same step is never reminded twice on one day."""

    class Kind(models.TextChoices):
        DUE_TOMORROW = "due", _("jatuh tempo besok")
        OVERDUE = "overdue", _("terlambat")
        ESCALATION = "escalation", _("eskalasi ke atasan")

    visit = models.ForeignKey(StepVisit, on_delete=models.CASCADE, related_name="reminders")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    sent_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "recipient", "kind", "sent_on"], name="uniq_reminder_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.visit_id} → {self.recipient_id} {self.sent_on}"


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
        from django.core.exceptions import ValidationError

        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("Tanggal selesai tidak boleh sebelum tanggal mulai.")
        if self.user_id and self.absent_official_id and self.user_id == self.absent_official_id:
            errors["absent_official"] = _("Pelaksana tidak dapat menggantikan dirinya sendiri.")
        if errors:
            raise ValidationError(errors)


class PrakomAssignment(models.Model):
    """Who builds the application: the Kadis's choice and every later reassignment."""

    request = models.ForeignKey(
        "requests_intake.ApplicationRequest",
        on_delete=models.PROTECT,
        related_name="prakom_assignments",
    )
    prakom = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("staf Prakom"),
    )
    previous = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sebelumnya"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ditugaskan oleh"),
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(_("alasan"), max_length=500, blank=True)

    class Meta:
        ordering = ["assigned_at", "pk"]

    def __str__(self) -> str:
        return f"{self.request_id} → {self.prakom_id}"


class Comment(models.Model):
    """A message in a proposal's discussion. Edits keep the old text; only admins delete."""

    request = models.ForeignKey(
        "requests_intake.ApplicationRequest", on_delete=models.PROTECT, related_name="comments"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_role = models.CharField(max_length=20, choices=Role.choices)
    author_title = models.CharField(max_length=250)
    body = models.TextField(_("komentar"))
    file = models.FileField(upload_to="comments/%Y/%m/", blank=True, max_length=200)
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("komentar")
        verbose_name_plural = _("komentar")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["request", "created_at"], name="comment_request_idx")]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.body[:40]}"


class CommentRevision(models.Model):
    """A comment's text as it was before an edit."""

    comment = models.ForeignKey(Comment, on_delete=models.PROTECT, related_name="revisions")
    body = models.TextField()
    written_at = models.DateTimeField()
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["written_at", "pk"]

    def __str__(self) -> str:
        return f"{self.comment_id} @ {self.written_at:%Y-%m-%d %H:%M}"


class Notification(models.Model):
    """Something a person should know about a proposal: shown in-app, and e-mailed."""

    class Kind(models.TextChoices):
        TRANSITION = "transition", _("perubahan tahap")
        COMMENT = "comment", _("komentar")
        MENTION = "mention", _("disebut dalam komentar")
        ASSIGNMENT = "assignment", _("penugasan")
        INVITATION = "invitation", _("undangan")

    class EmailStatus(models.TextChoices):
        PENDING = "pending", _("menunggu dikirim")
        SENDING = "sending", _("sedang dikirim")
        SENT = "sent", _("terkirim")
        FAILED = "failed", _("gagal")
        SKIPPED = "skipped", _("tidak dikirim (dimatikan pengguna / tanpa e-mail)")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    request = models.ForeignKey(
        "requests_intake.ApplicationRequest", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    log = models.ForeignKey(
        TransitionLog, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # Why this person is told: they act next, they are the requesting unit, they are superior…
    reason = models.CharField(max_length=20, blank=True)
    due_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    email_status = models.CharField(
        max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_error = models.CharField(max_length=500, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # When a worker took the e-mail (the start of its last attempt): another worker leaves
    # it alone until SOPAPP_EMAIL_LEASE has passed, then takes the first one as dead.
    email_claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notif_unread_idx"),
            models.Index(fields=["recipient", "-created_at"], name="notif_list_idx"),
            models.Index(fields=["email_status"], name="notif_email_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id} ({self.request_id})"


# The office around the SOP's steps (study checklist, returns, meetings, agreement).
from workflow.models_office import (  # noqa: E402, F401
    ApplicationReuse,
    CompletionRequest,
    Handover,
    Hosting,
    Invitation,
    Meeting,
    MeetingKind,
    StudyChecklist,
    UnitAgreement,
)
