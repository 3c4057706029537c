from django import template
from django.utils import timezone

from reports import formatting, services
from reports.selectors import documents_of, missing_checkpoints
from workflow.roles import is_official

register = template.Library()

register.filter("tanggal", formatting.tanggal)
register.filter("hari_tanggal", formatting.hari_tanggal)
register.filter("waktu", formatting.waktu)
register.filter("jam", formatting.jam)
register.filter("terbilang", formatting.terbilang)
register.filter("pembuka_berita_acara", formatting.pembuka_berita_acara)


@register.inclusion_tag("reports/_document_list.html", takes_context=True)
def official_documents(context, req, log_entries=()) -> dict:
    """The proposal page's list of official documents (one query).

    ``log_entries`` (the page's transition log) lets it show checkpoints whose documents
    were never issued. Staff get a button to make a missing, failed or stuck document.
    """
    documents = list(documents_of(req))
    now = timezone.now()
    for document in documents:
        document.stuck = services.is_stuck(document, now)  # type: ignore[attr-defined]  # for the template
    user = context.get("user")
    return {
        "req": req,
        "documents": documents,
        "missing": missing_checkpoints(log_entries, documents),
        "may_repair": user is not None and is_official(user),
        "csrf_token": context.get("csrf_token"),
    }
