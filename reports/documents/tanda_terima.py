"""Tanda terima usulan — on submission (step 1). A working paper: the registration
number, no letter number; received by the Kasi, by name."""

from reports.documents.base import Signers, Snapshot, proposal_rows
from reports.models import DocumentKind
from requests_intake.models import AttachmentKind
from workflow.states import Role

KIND = DocumentKind.RECEIPT
TEMPLATE = "reports/pdf/tanda_terima.html"


def title(log) -> str:
    return "Tanda Terima Usulan Pembuatan Aplikasi"


def context(snap: Snapshot, signers: Signers) -> dict:
    log = snap.log
    submitted_by = signers.of(log.actor, Role.PEMOHON, log.created_at, log=log)
    # The person submitting signs with their own post in their unit.
    if log.actor.position:
        submitted_by["post"] = submitted_by["position"] = log.actor.position
    return {
        "fields": proposal_rows(snap.req),
        "letters": snap.attachments(AttachmentKind.REQUEST_LETTER),
        "submitted_by": submitted_by,
        "submitted_at": log.created_at,
        "receiver": signers.holder(Role.KASI),
    }
