"""The append-only, hash-chained log of every transition (see workflow.audit)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflow.states import Role, State


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
