"""3. Keputusan Kepala Dinas — step 4: perlu / tidak perlu, with the reason."""

from reports.documents.base import Signers, Snapshot
from reports.models import DocumentKind
from workflow.models import Decision
from workflow.states import Role

KIND = DocumentKind.DECISION
TEMPLATE = "reports/pdf/keputusan.html"


def title(log) -> str:
    outcome = "Perlu" if log and log.transition == "decide_needed" else "Tidak Perlu"
    return f"Keputusan Kepala Dinas ({outcome})"


def context(snap: Snapshot, signers: Signers) -> dict:
    decision = snap.for_log(Decision)
    return {
        "decision": decision,
        "signer": signers.of_record(decision, Role.KADIS),
        "prakom": (
            signers.of(decision.assigned_prakom, Role.PRAKOM) if decision.assigned_prakom else None
        ),
    }
