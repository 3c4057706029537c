"""Reads of the archive shared by pages."""

from django.db.models import QuerySet

from reports.documents import CHECKPOINTS
from reports.models import Document, DocumentKind


def documents_of(req) -> QuerySet[Document]:
    """A proposal's documents in issue order, without their heavy columns."""
    return (
        Document.objects.filter(request_id=req.pk)
        .only(
            "pk",
            "request_id",
            "kind",
            "title",
            "number",
            "issued_at",
            "created_at",
            "status",
            "size",
            "pages",
            "log_id",
            "requested_by_id",
            "render_started_at",
            "failure",
        )
        .order_by("created_at", "pk")
    )


def missing_checkpoints(log_entries, documents) -> list:
    """The proposal's transitions whose checkpoint documents are not all issued.

    Works on rows the page already has (its transition log and document list): no query.
    """
    issued = {(d.log_id, d.kind) for d in documents if d.requested_by_id is None}
    missing = []
    for entry in log_entries:
        kinds = [k for k in CHECKPOINTS.get(entry.transition, ()) if (entry.pk, k) not in issued]
        if kinds:
            entry.missing_kinds = [DocumentKind(k).label for k in kinds]
            missing.append(entry)
    return missing
