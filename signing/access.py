"""Who may open a signature request: the person (or role holder) who is to sign it."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from signing.models import SignatureRequest
from signing.services import may_sign
from workflow.roles import is_official


def require_official(user) -> None:
    if not is_official(user):
        raise PermissionDenied


def get_signature_for_user(user, pk: int) -> SignatureRequest:
    require_official(user)
    signature = (
        SignatureRequest.objects.select_related("document__request", "document__log")
        .filter(pk=pk)
        .first()
    )
    if signature is None or not may_sign(user, signature):
        raise Http404
    return signature
