"""A document's HTML (for the PDF and for the printer-friendly preview)."""

from django.template.loader import render_to_string
from django.utils import translation

from reports.documents import MODULES
from reports.documents.base import Signers, common_context, snapshot_of
from reports.models import Document, Letterhead


def signers_for_kind(kind: str) -> Signers:
    numbering = Letterhead.load().numbering_for(kind)
    return Signers(academic_titles=numbering.academic_titles)


def document_html(doc: Document, *, preview: bool = False) -> str:
    module = MODULES[doc.kind]
    # Official documents are in Indonesian whatever language the reader's UI uses.
    with translation.override("id"):
        context = common_context(doc, preview=preview)
        context.update(module.context(snapshot_of(doc), signers_for_kind(doc.kind)))
        return render_to_string(module.TEMPLATE, context)


def document_html_from(doc: Document, data: dict, *, preview: bool = False) -> str:
    """A document of a kind no checkpoint issues yet (undangan, serah terima), built from
    plain data: see the kind's module, ``build(req, data, signers)``."""
    module = MODULES[doc.kind]
    with translation.override("id"):
        context = common_context(doc, preview=preview)
        context.update(module.build(doc.request, data, signers_for_kind(doc.kind)))
        return render_to_string(module.TEMPLATE, context)
