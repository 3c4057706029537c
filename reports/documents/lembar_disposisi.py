"""2. Lembar disposisi — at receipt and at each forward (steps 2–3): all levels so far."""

from reports.documents.base import Signers, Snapshot
from reports.models import DocumentKind
from workflow.models import Disposition, Instruction, Receipt, Sifat
from workflow.states import Role

KIND = DocumentKind.DISPOSITION
TEMPLATE = "reports/pdf/lembar_disposisi.html"

_STAGE = {
    "receive": "penerimaan oleh Kasi",
    "forward_to_kabid": "Kasi kepada Kabid",
    "forward_to_kadis": "Kabid kepada Kepala Dinas",
}


def title(log) -> str:
    stage = _STAGE.get(log.transition) if log else None
    return f"Lembar Disposisi ({stage})" if stage else "Lembar Disposisi"


def context(snap: Snapshot, signers: Signers) -> dict:
    receipt = snap.records(Receipt).first()
    levels = []
    for d in snap.records(Disposition):
        chosen = set(d.instructions)
        levels.append(
            {
                "from_title": signers.title(d.from_role),
                "to_title": signers.title(d.to_role),
                "instructions": [
                    {"label": label, "checked": code in chosen}
                    for code, label in Instruction.choices
                ],
                "note": d.note,
                "signer": signers.of_record(d, d.from_role),
            }
        )
    return {
        "receipt": receipt,
        "receipt_signer": (signers.of_record(receipt, Role.KASI) if receipt else None),
        "sifat_options": [
            {"label": label, "checked": receipt is not None and receipt.sifat == code}
            for code, label in Sifat.choices
        ],
        "levels": levels,
    }
