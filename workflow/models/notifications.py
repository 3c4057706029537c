"""What a person is told about a proposal, in-app and by e-mail."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflow.models.comments import Comment
from workflow.models.log import TransitionLog


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
