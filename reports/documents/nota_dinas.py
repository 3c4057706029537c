"""Nota dinas — steps 2–3: the Kasi's to the Kabid, the Kabid's to the Kepala Dinas.

An upward memo with the telaahan (study) of the proposal; it replaces the earlier
"lembar disposisi" that had a subordinate instruct a superior.
"""

from reports.documents.base import Signers, Snapshot
from reports.kinds import NOTA_DINAS_ADDRESSEE, NOTA_DINAS_SENDER
from reports.models import DocumentKind
from workflow.models import Disposition, Instruction, Receipt, StudyChecklist

KIND = DocumentKind.NOTA_DINAS
TEMPLATE = "reports/pdf/nota_dinas.html"


def title(log) -> str:
    return "Nota Dinas Usulan Pembuatan Aplikasi"


def context(snap: Snapshot, signers: Signers) -> dict:
    receipt = snap.records(Receipt).first()
    # The Kasi's study (step 2): the latest checklist up to this memo.
    checklist = snap.records(StudyChecklist).last()
    forward = snap.for_log(Disposition)
    earlier = [d for d in snap.records(Disposition) if d.pk != forward.pk]
    transition = snap.log.transition
    return {
        "receipt": receipt,
        "checklist": checklist,
        "forward": forward,
        "earlier": [{"record": d, "from_title": signers.title(d.from_role)} for d in earlier],
        "addressee": signers.title(NOTA_DINAS_ADDRESSEE[transition]),
        "sender_title": signers.title(NOTA_DINAS_SENDER[transition]),
        "copies": [signers.title(d.from_role) for d in earlier],
        "requests": [str(Instruction(code).label) for code in forward.instructions],
        "signer": signers.of_record(forward, NOTA_DINAS_SENDER[transition]),
    }
