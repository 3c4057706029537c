"""Reads of the archive shared by pages."""

from django.db.models import QuerySet

from reports.models import Document


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
        )
        .order_by("created_at", "pk")
    )
