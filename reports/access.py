"""Who may see an archived document: whoever may see its proposal (404 otherwise)."""

from django.http import Http404

from reports.models import Document, DocumentKind
from workflow.access import get_request_for_user
from workflow.roles import is_official

# Diskominfo's internal working papers: the requesting unit does not read them.
INTERNAL_KINDS = frozenset(
    {DocumentKind.NOTA_DINAS, DocumentKind.KADIS_DISPOSITION, DocumentKind.DISPOSITION}
)


def get_document_for_user(user, request_pk: int, pk: int) -> Document:
    req = get_request_for_user(user, request_pk)
    try:
        doc = Document.objects.get(request=req, pk=pk)
    except Document.DoesNotExist:
        raise Http404 from None
    if doc.kind in INTERNAL_KINDS and not is_official(user):
        raise Http404
    doc.request = req
    return doc
