"""Berita acara serah terima aplikasi — step 12, where the handover is recorded.

The handover record is not in this code base yet: ``build(req, data, signers)`` takes
it as a plain dict — ``held_on`` (date), ``place``, ``first_party`` and ``second_party``
(person blocks: name, position, rank, nip), ``items`` (what is handed over: list of
str), optional ``application`` (name, url, version), ``known_by`` (the Mengetahui
block). Wire it by writing ``context`` from the record and adding the transition to
``CHECKPOINTS``.
"""

from reports.documents.base import Signers, Snapshot
from reports.formatting import terbilang
from reports.models import DocumentKind

KIND = DocumentKind.HANDOVER
TEMPLATE = "reports/pdf/ba_serah_terima.html"


def title(log) -> str:
    return "Berita Acara Serah Terima Aplikasi"


def build(req, data: dict, signers: Signers) -> dict:
    items = list(data.get("items", []))
    return {
        "held_on": data["held_on"],
        "place": data["place"],
        "first_party": data["first_party"],
        "second_party": data["second_party"],
        "items": items,
        "item_count_words": terbilang(len(items)),
        "application": data.get("application"),
        "known_by": data.get("known_by"),
    }


def context(snap: Snapshot, signers: Signers) -> dict:
    raise NotImplementedError("No handover record yet; see the module docstring.")
