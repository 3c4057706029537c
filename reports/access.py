"""Who may see an archived document: whoever may see its proposal (404 otherwise); how
often anyone may use the public verification pages."""

import functools

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from reports.models import Document, DocumentKind
from sopapp.security import rate_limit_wait
from workflow.access import get_request_for_user
from workflow.roles import is_official

# Diskominfo's internal working papers: the requesting unit does not read them.
INTERNAL_KINDS = frozenset(
    {DocumentKind.NOTA_DINAS, DocumentKind.KADIS_DISPOSITION, DocumentKind.DISPOSITION}
)

VERIFY_WINDOW = 60


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


def rate_limited(view):
    """The public verification pages: at most SOPAPP_VERIFY_LIMIT_PER_MINUTE per address.

    Codes are short; without a limit anyone could try them by the thousand.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        wait = rate_limit_wait(
            request, "verify", settings.SOPAPP_VERIFY_LIMIT_PER_MINUTE, VERIFY_WINDOW
        )
        if wait:
            response = render(request, "reports/verify_limited.html", {"wait": wait}, status=429)
            response["Retry-After"] = str(wait)
            return response
        return view(request, *args, **kwargs)

    return wrapper
