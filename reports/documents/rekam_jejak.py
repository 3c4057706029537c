"""9. Rekam jejak — on request, any time: the proposal, every transition, the mutu baku."""

from reports.documents.base import Signers, Snapshot, proposal_rows
from reports.models import Document, DocumentKind, DocumentStatus
from reports.timing import step_rows
from workflow.states import State

KIND = DocumentKind.RECORD
TEMPLATE = "reports/pdf/rekam_jejak.html"


def title(log) -> str:
    return "Rekam Jejak Usulan Pembuatan Aplikasi"


def context(snap: Snapshot, signers: Signers) -> dict:
    logs = snap.transitions()
    req = snap.req
    documents = list(
        Document.objects.filter(
            request=req, status=DocumentStatus.READY, created_at__lte=snap.as_of
        )
        .exclude(kind=KIND)
        .order_by("created_at", "pk")
    )
    state = logs[-1].to_state if logs else State.DRAFT
    return {
        "fields": proposal_rows(req),
        "state_label": State(state).label,
        "transitions": [{"log": log, "role_title": signers.short(log.role)} for log in logs],
        "steps": step_rows(req, logs, snap.as_of, signers.short),
        "documents": documents,
        "attachments": snap.attachments(),
        "requested_by": snap.doc.requested_by,
    }
