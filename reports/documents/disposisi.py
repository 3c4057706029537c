"""Lembar disposisi of the Kepala Dinas — step 4, when the decision is made: downward to
the Kabid, the Kasi (and the Prakom who will build), with the instructions."""

from reports.documents.base import Signers, Snapshot
from reports.models import DocumentKind
from workflow.models import Decision, Receipt, Sifat
from workflow.states import Role

KIND = DocumentKind.KADIS_DISPOSITION
TEMPLATE = "reports/pdf/disposisi.html"

# What the Kepala Dinas asks of the addressees, by outcome.
INSTRUCTIONS_NEEDED = (
    "Proses lebih lanjut sesuai SOP Pembuatan Aplikasi Database",
    "Koordinasikan dengan Perangkat Daerah pemohon",
    "Siapkan surat jawaban kepada Perangkat Daerah pemohon",
)
INSTRUCTIONS_NOT_NEEDED = (
    "Siapkan surat jawaban kepada Perangkat Daerah pemohon",
    "Untuk diketahui dan diarsipkan",
)


def title(log) -> str:
    return "Lembar Disposisi Kepala Dinas"


def context(snap: Snapshot, signers: Signers) -> dict:
    decision = snap.for_log(Decision)
    receipt = snap.records(Receipt).first()
    addressees = [signers.title(Role.KABID), signers.title(Role.KASI)]
    if decision.needed and decision.assigned_prakom:
        addressees.append(
            f"{signers.title(Role.PRAKOM)} ({decision.assigned_prakom.signature_name()})"
        )
    return {
        "decision": decision,
        "receipt": receipt,
        "sifat_options": [
            {"label": label, "checked": receipt is not None and receipt.sifat == code}
            for code, label in Sifat.choices
        ],
        "addressees": addressees,
        "instructions": INSTRUCTIONS_NEEDED if decision.needed else INSTRUCTIONS_NOT_NEEDED,
        "signer": signers.of_record(decision, Role.KADIS),
    }
