"""Who may see an archived document: whoever may see its proposal (404 otherwise)."""

from django.http import Http404

from reports.models import Document
from workflow.access import get_request_for_user


def get_document_for_user(user, request_pk: int, pk: int) -> Document:
    req = get_request_for_user(user, request_pk)
    try:
        doc = Document.objects.get(request=req, pk=pk)
    except Document.DoesNotExist:
        raise Http404 from None
    doc.request = req
    return doc
