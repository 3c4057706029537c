"""Who may see which proposal: the one access helper for proposals and their files."""

from django.db.models import Q, QuerySet
from django.http import Http404

from requests_intake.models import ApplicationRequest, Attachment
from workflow.roles import is_official, user_roles
from workflow.states import State


def visible_requests(user) -> QuerySet[ApplicationRequest]:
    """Proposals a person may see.

    Diskominfo staff see every submitted proposal; a requesting unit sees its own,
    drafts included. Drafts are the unit's private work until submitted.
    """
    qs = ApplicationRequest.objects.all()
    roles = user_roles(user)
    condition = Q(pk__in=[])
    if is_official(user):
        condition |= ~Q(state=State.DRAFT)
    if "pemohon" in roles and user.unit_id is not None:
        condition |= Q(unit_id=user.unit_id)
    return qs.filter(condition)


def get_request_for_user(user, pk: int) -> ApplicationRequest:
    """The proposal, or 404 when the person may not see it."""
    try:
        return (
            visible_requests(user)
            .select_related("unit", "created_by", "submitted_by", "assigned_prakom")
            .get(pk=pk)
        )
    except ApplicationRequest.DoesNotExist:
        raise Http404 from None


def get_attachment_for_user(user, request_pk: int, pk: int) -> Attachment:
    req = get_request_for_user(user, request_pk)
    try:
        return req.attachments.get(pk=pk)
    except Attachment.DoesNotExist:
        raise Http404 from None
