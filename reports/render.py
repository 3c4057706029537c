"""A document's HTML (for the PDF and for the printer-friendly preview)."""

from django.template.loader import render_to_string
from django.utils import translation

from reports.documents import MODULES
from reports.documents.base import Signers, common_context, snapshot_of
from reports.models import Document


def document_html(doc: Document, *, preview: bool = False) -> str:
    module = MODULES[doc.kind]
    # Official documents are in Indonesian whatever language the reader's UI uses.
    with translation.override("id"):
        context = common_context(doc, preview=preview)
        context.update(module.context(snapshot_of(doc), Signers()))
        return render_to_string(module.TEMPLATE, context)
