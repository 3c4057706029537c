"""The discussion on a proposal: write, edit (keeping history), delete (admins only)."""

import re

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from requests_intake.models import ApplicationRequest
from requests_intake.uploads import check_upload
from workflow.errors import ActionForbidden, StaleAction
from workflow.models import Comment, CommentRevision, Notification, RoleTitle, User
from workflow.notifications import notify_people
from workflow.roles import acting_assignments, own_roles, role_holders, user_roles
from workflow.states import Role

_MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9][\w.\-]{1,149})")
# Roles in the order a person's comment is signed with (their most specific post first).
_SIGNING_ORDER = (Role.KADIS, Role.KABID, Role.KASI, Role.PRAKOM, Role.PEMOHON, Role.ADMIN)


def signing_role(user) -> tuple[str, str]:
    """The role a comment is signed with and its printed title (Plt./Plh. included)."""
    roles = user_roles(user)
    role = next((r for r in _SIGNING_ORDER if r in roles), Role.ADMIN)
    title = RoleTitle.objects.filter(role=role).values_list(
        "short_title", flat=True
    ).first() or str(Role(role).label)
    if role not in own_roles(user):
        assignment = acting_assignments(user).get(role)
        if assignment is not None:
            title = f"{assignment.get_kind_display()} {title}"
    return role, title


def mentioned_people(req: ApplicationRequest, body: str) -> list[User]:
    """People a comment mentions (``@kasi``, ``@pemohon``, ``@username``) who may see it."""
    names = {m.lower() for m in _MENTION.findall(body)}
    if not names:
        return []
    found: dict[int, User] = {}
    for name in names & set(Role.values) - {Role.ADMIN}:
        for user in role_holders(name, req):
            found[user.pk] = user
    for user in User.objects.filter(username__in=names, is_active=True):
        found[user.pk] = user
    return [
        u
        for u in found.values()
        if ApplicationRequest.objects.visible_to(u).filter(pk=req.pk).exists()
    ]


@transaction.atomic
def comment_add(
    *, actor, req: ApplicationRequest, body: str, upload: UploadedFile | None = None
) -> Comment:
    """Add a comment; the caller has checked that ``actor`` may see ``req``."""
    role, title = signing_role(actor)
    comment = Comment(
        request=req, author=actor, author_role=role, author_title=title, body=body.strip()
    )
    if upload is not None:
        checked = check_upload(upload)
        comment.original_name = checked.safe_name
        comment.content_type = checked.content_type
        comment.size = checked.size
        comment.sha256 = checked.sha256
        comment.file.save(f"comment.{checked.extension}", upload, save=False)
    comment.save()
    mentioned = mentioned_people(req, comment.body)
    if mentioned:
        notify_people(req, mentioned, kind=Notification.Kind.MENTION, actor=actor, comment=comment)
    return comment


@transaction.atomic
def comment_edit(*, actor, comment_id: int, body: str) -> Comment:
    """Change one's own comment; the previous text stays visible as history."""
    comment = Comment.objects.select_for_update().get(pk=comment_id)
    if comment.author_id != actor.pk:
        raise ActionForbidden(_("Hanya penulis yang dapat menyunting komentarnya."))
    if comment.deleted_at is not None:
        raise StaleAction(_("Komentar ini sudah dihapus."))
    body = body.strip()
    if body == comment.body:
        return comment
    CommentRevision.objects.create(
        comment=comment, body=comment.body, written_at=comment.edited_at or comment.created_at
    )
    comment.body = body
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    return comment


@transaction.atomic
def comment_delete(*, actor, comment_id: int) -> Comment:
    """Hide a comment (administrators only); who and when is kept."""
    if Role.ADMIN not in own_roles(actor):
        raise ActionForbidden(_("Hanya administrator yang dapat menghapus komentar."))
    comment = Comment.objects.select_for_update().get(pk=comment_id)
    if comment.deleted_at is None:
        comment.deleted_at = timezone.now()
        comment.deleted_by = actor
        comment.save(update_fields=["deleted_at", "deleted_by"])
    return comment
