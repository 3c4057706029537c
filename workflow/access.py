"""The access helpers for proposals and their files: 404 when a person may not see the
object, 403 (``PermissionDenied``) when they may see it but not act on it."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from requests_intake.models import ApplicationRequest, Attachment
from workflow.roles import has_role


def get_request_for_user(user: Any, pk: int) -> ApplicationRequest:
    """The proposal, or 404 when the person may not see it."""
    try:
        return (
            ApplicationRequest.objects.visible_to(user)
            .select_related("unit", "created_by", "submitted_by", "assigned_prakom")
            .get(pk=pk)
        )
    except ApplicationRequest.DoesNotExist:
        raise Http404 from None


def get_request_for_role(user: Any, pk: int, role: str) -> ApplicationRequest:
    """The proposal for acting on it in ``role``: 404 when the person may not see it, 403
    when they see it but do not hold the role (the service checks unit and assignment)."""
    req = get_request_for_user(user, pk)
    if not has_role(user, role):
        raise PermissionDenied
    return req


def get_attachment_for_user(user: Any, request_pk: int, pk: int) -> Attachment:
    req = get_request_for_user(user, request_pk)
    try:
        return req.attachments.get(pk=pk)
    except Attachment.DoesNotExist:
        raise Http404 from None
