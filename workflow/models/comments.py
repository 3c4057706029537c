"""The discussion on a proposal: comments and their earlier versions."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflow.states import Role


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
