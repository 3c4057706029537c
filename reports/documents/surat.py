"""Surat of the Kepala Dinas to the head of the requesting unit — step 4: the answer.

Three outcomes: *perlu* (the application will be built), *tidak perlu* (with the reason),
*gunakan aplikasi yang ada* (with the reason and the application to use, when the
decision names one).
"""

from reports.documents.base import Signers, Snapshot
from reports.models import DocumentKind
from workflow.models import ApplicationReuse, Decision, Receipt
from workflow.states import Role

KIND = DocumentKind.LETTER
TEMPLATE = "reports/pdf/surat.html"

NEEDED, NOT_NEEDED, USE_EXISTING = "perlu", "tidak_perlu", "gunakan_yang_ada"
OUTCOME_OF_TRANSITION = {
    "decide_needed": NEEDED,
    "decide_not_needed": NOT_NEEDED,
    "decide_use_existing": USE_EXISTING,
}
SUBJECT = {
    NEEDED: "Persetujuan Usulan Pembuatan Aplikasi",
    NOT_NEEDED: "Jawaban atas Usulan Pembuatan Aplikasi",
    USE_EXISTING: "Jawaban atas Usulan Pembuatan Aplikasi",
}


def outcome_of(log, decision) -> str:
    outcome = OUTCOME_OF_TRANSITION.get(getattr(log, "transition", ""))
    if outcome is None:
        outcome = NEEDED if decision is not None and decision.needed else NOT_NEEDED
    return outcome


def title(log) -> str:
    return f"Surat Kepala Dinas: {SUBJECT[outcome_of(log, None)]}"


def existing_application(log) -> dict | None:
    """The catalogued application the unit is pointed to (``workflow.ApplicationReuse``
    recorded with the *gunakan aplikasi yang ada* decision), if any."""
    reuse = (
        ApplicationReuse.objects.filter(log=log).select_related("application__unit").first()
        if log is not None
        else None
    )
    if reuse is None:
        return None
    app = reuse.application
    return {
        "name": app.name,
        "url": app.url,
        "owner": app.unit.name if app.unit_id else "",
    }


def context(snap: Snapshot, signers: Signers) -> dict:
    decision = snap.for_log(Decision)
    outcome = outcome_of(snap.log, decision)
    return {
        "decision": decision,
        "receipt": snap.records(Receipt).first(),
        "outcome": outcome,
        "subject": SUBJECT[outcome],
        "existing_app": existing_application(snap.log),
        "prakom": (
            signers.of(decision.assigned_prakom, Role.PRAKOM) if decision.assigned_prakom else None
        ),
        "signer": signers.of_record(decision, Role.KADIS),
        "copies": [signers.title(Role.KABID), signers.title(Role.KASI)],
    }
