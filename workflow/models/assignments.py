"""Who builds the application: the Kadis's choice of Prakom and later reassignments."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
