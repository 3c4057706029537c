"""Stays of a proposal in each step (measured against the standard) and reminders."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
