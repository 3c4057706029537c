import re

from django import template
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString

from reports import formatting, services
from reports.access import INTERNAL_KINDS
from reports.forms import NumberEntryForm
from reports.models import DocumentKind, DocumentStatus
from reports.selectors import document_panel, missing_checkpoints
from workflow.roles import is_official

register = template.Library()

register.filter("tanggal", formatting.tanggal)
register.filter("hari_tanggal", formatting.hari_tanggal)
register.filter("waktu", formatting.waktu)
register.filter("jam", formatting.jam)
register.filter("terbilang", formatting.terbilang)
register.filter("pembuka_berita_acara", formatting.pembuka_berita_acara)

_HYPHENATED = re.compile(r"(\S*-\S*)")


@register.filter
def keep_hyphenated(value) -> SafeString:
    """``value`` (escaped) with each hyphenated word kept on one line.

    An official title such as "Kepala Bidang Layanan e-Government" wraps before
    "e-Government", never at its hyphen. The ordinary hyphen stays in the PDF's text (a
    non-breaking hyphen would change what a search or a copy of the document finds).
    """
    html = SafeString("")
    for index, piece in enumerate(_HYPHENATED.split(str(value))):
        if index % 2:
            html += format_html('<span class="nowrap">{}</span>', piece)
        else:
            html += conditional_escape(piece)
    return html


@register.inclusion_tag("reports/_document_list.html", takes_context=True)
def official_documents(context, req, log_entries=()) -> dict:
    """The proposal page's list of official documents (one query).

    ``log_entries`` (the page's transition log) lets it show checkpoints whose documents
    were never issued. Staff get a button to make a missing, failed or stuck document.
    """
    user = context.get("user")
    staff = user is not None and is_official(user)
    documents, signer_gaps = document_panel(req, staff=staff)
    if not staff:  # the unit: no internal working papers
        documents = [d for d in documents if d.kind not in INTERNAL_KINDS]
    now = timezone.now()
    for document in documents:
        document.stuck = services.is_stuck(document, now)  # type: ignore[attr-defined]  # for the template
    missing = missing_checkpoints(log_entries, documents)
    if not staff:
        hidden = {str(DocumentKind(k).label) for k in INTERNAL_KINDS}
        for entry in missing:
            entry.missing_kinds = [k for k in entry.missing_kinds if str(k) not in hidden]
        missing = [entry for entry in missing if entry.missing_kinds]
    return {
        "req": req,
        "documents": documents,
        "missing": missing,
        "may_repair": staff,
        "awaiting_number": any(d.status == DocumentStatus.AWAITING_NUMBER for d in documents),
        "number_form": NumberEntryForm() if staff else None,
        # Staff see who would sign with an incomplete block (fixed by the administrator).
        "signer_gaps": signer_gaps,
        "csrf_token": context.get("csrf_token"),
    }
