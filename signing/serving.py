"""Serving an archived document: the signed file of record, or the marked draft."""

from django.http import FileResponse, Http404, HttpResponse

from signing import selectors
from signing.stamp import mark_unsigned


def record_response(doc, *, inline: bool) -> HttpResponse | FileResponse:
    """The archived file of record; an unsigned one carries the draft mark on every page."""
    record = selectors.record_of(doc)
    try:
        handle = record.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response: HttpResponse | FileResponse
    if record.needs_signatures and not (record.signed or record.partly_signed):
        with handle:
            response = HttpResponse(mark_unsigned(handle.read()), content_type="application/pdf")
        disposition = "inline" if inline else "attachment"
        response["Content-Disposition"] = f'{disposition}; filename="{doc.download_name}"'
    else:
        response = FileResponse(
            handle,
            as_attachment=not inline,
            filename=doc.download_name,
            content_type="application/pdf",
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
