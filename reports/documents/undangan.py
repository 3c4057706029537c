"""Surat undangan to the requesting unit — steps 6 and 12, when the presentation or the
socialisation is scheduled.

No transition schedules a meeting yet, so no checkpoint issues it: ``build(req, data,
signers)`` takes the meeting as a plain dict (``event``: hari_tanggal, waktu, tempat,
acara; ``purpose``; ``signer`` person block; optional ``copies``), and whoever adds the
scheduling record writes ``context`` to build that dict from it and adds the transition
to ``CHECKPOINTS``.
"""

from reports.documents.base import Signers, Snapshot
from reports.models import DocumentKind

KIND = DocumentKind.INVITATION
TEMPLATE = "reports/pdf/undangan.html"


def title(log) -> str:
    return "Surat Undangan"


def build(req, data: dict, signers: Signers) -> dict:
    return {
        "purpose": data.get("purpose", "presentasi rancangan sistem"),
        "event": data["event"],
        "signer": data["signer"],
        "copies": data.get("copies", []),
        "sifat": data.get("sifat", "Biasa"),
        "addressee": data.get("addressee") or f"Kepala {req.unit.name}",
    }


def context(snap: Snapshot, signers: Signers) -> dict:
    raise NotImplementedError("No scheduling record yet; see the module docstring.")
