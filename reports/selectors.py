"""Reads of the archive shared by pages."""

from django.db.models import Q, QuerySet

from reports.documents import CHECKPOINTS
from reports.models import Document, DocumentKind
from workflow.civil_service import Employment
from workflow.models import User
from workflow.states import Role


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
            "version",
        )
        .order_by("created_at", "pk")
    )


def missing_checkpoints(log_entries, documents) -> list:
    """The proposal's transitions whose checkpoint documents are not all issued.

    Works on rows the page already has (its transition log and document list): no query.
    """
    # Issued together: one document of a checkpoint means all of them.
    issued = {d.log_id for d in documents if d.requested_by_id is None}
    missing = []
    for entry in log_entries:
        kinds = [] if entry.pk in issued else list(CHECKPOINTS.get(entry.transition, ()))
        if kinds:
            entry.missing_kinds = [DocumentKind(k).label for k in kinds]
            missing.append(entry)
    return missing


def signers_lacking_data(req) -> list:
    """People who sign this proposal's documents but lack NIP or pangkat/golongan (one query).

    The Kasi, Kabid and Kepala Dinas holding the posts, and the Prakom assigned.
    """
    return list(
        signers_lacking_data_queryset()
        .filter(
            Q(groups__name__in=[Role.KASI, Role.KABID, Role.KADIS])
            | Q(pk=req.assigned_prakom_id or 0)
        )
        .distinct()
        .order_by("pk")
    )


def signers_lacking_data_queryset():
    """Active people whose signature block would lack NIP or rank (non-ASN need neither)."""
    return (
        User.objects.filter(is_active=True)
        .exclude(employment=Employment.NON_ASN)
        .filter(Q(nip="") | Q(rank=""))
    )
