from django import template

from reports import formatting
from reports.selectors import documents_of

register = template.Library()

register.filter("tanggal", formatting.tanggal)
register.filter("hari_tanggal", formatting.hari_tanggal)
register.filter("waktu", formatting.waktu)
register.filter("jam", formatting.jam)
register.filter("terbilang", formatting.terbilang)
register.filter("pembuka_berita_acara", formatting.pembuka_berita_acara)


@register.inclusion_tag("reports/_document_list.html", takes_context=True)
def official_documents(context, req) -> dict:
    """The proposal page's list of official documents (one query)."""
    return {
        "req": req,
        "documents": list(documents_of(req)),
        "csrf_token": context.get("csrf_token"),
    }
