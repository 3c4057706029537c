"""Reads of the archive shared by pages."""

from django.db.models import Q, QuerySet

from reports.documents import CHECKPOINTS
from reports.models import Document, DocumentKind
from requests_intake.models import ApplicationRequest
from workflow.civil_service import Employment
from workflow.models import User
from workflow.rows import Part
from workflow.rows import fetch as rows_of
from workflow.states import Role

# The columns of a document its list shows (not its file, content or error text).
_LISTED = (
    "request",
    "kind",
    "title",
    "number",
    "issued_at",
    "created_at",
    "status",
    "size",
    "pages",
    "log",
    "requested_by",
    "render_started_at",
    "failure",
    "version",
)


def document_panel(req, *, staff: bool) -> tuple[list[Document], list[User]]:
    """A proposal's documents in issue order, and for Diskominfo's staff the people who
    sign them but lack NIP or pangkat/golongan: one query."""
    found = rows_of(_panel_parts, req.pk, staff)
    return found["documents"], found.get("signers", [])


def _panel_parts(proposal_id: int, staff: bool) -> dict[str, Part]:
    parts = {"documents": Part(Document.objects.filter(request_id=proposal_id), _LISTED)}
    if staff:
        parts["signers"] = Part(
            _signers_lacking_data(proposal_id),
            ("first_name", "last_name", "username", "employment", "nip", "rank"),
            order=("pk",),
        )
    return parts


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


def _signers_lacking_data(proposal_id: int) -> QuerySet[User]:
    """People who sign a proposal's documents but lack NIP or pangkat/golongan.

    The Kasi, Kabid and Kepala Dinas holding the posts, and the Prakom assigned.
    """
    holders = User.groups.through.objects.filter(
        group__name__in=[Role.KASI, Role.KABID, Role.KADIS]
    ).values("user_id")
    assigned = ApplicationRequest.objects.filter(pk=proposal_id).values("assigned_prakom_id")
    return signers_lacking_data_queryset().filter(Q(pk__in=holders) | Q(pk__in=assigned))


def signers_lacking_data_queryset():
    """Active people whose signature block would lack NIP or rank (non-ASN need neither)."""
    return (
        User.objects.filter(is_active=True)
        .exclude(employment=Employment.NON_ASN)
        .filter(Q(nip="") | Q(rank=""))
    )
