"""Berita acara serah terima aplikasi — step 12, where the handover is recorded.

Issued after ``finish_socialisation`` when it recorded a handover (``applies``).
``context`` reads the ``workflow.Handover`` of that transition and gives
``build(req, data, signers)`` a plain dict — ``held_on`` (date), ``place``,
``first_party`` and ``second_party`` (person blocks: name, position, rank, nip),
``items`` (what is handed over: list of str), optional ``application`` (name, url,
version), ``known_by`` (the Mengetahui block).
"""

from catalogue.models import Release
from reports.documents.base import Signers, Snapshot, person_block
from reports.formatting import terbilang
from reports.models import DocumentKind
from workflow.models import Handover, Socialisation
from workflow.states import Role

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


def applies(log) -> bool:
    """Only a step 12 that recorded a handover issues the berita acara."""
    return Handover.objects.filter(log=log).exists()


def handover_items(handover: Handover, release: Release | None) -> list[str]:
    items = []
    if handover.address:
        url = release.url if release is not None else ""
        items.append(f"Alamat aplikasi{f' ({url})' if url else ''}")
    if handover.source:
        repository = release.source_repository if release is not None else ""
        items.append(f"Kode sumber{f' ({repository})' if repository else ''}")
    if handover.documentation:
        items.append("Dokumentasi (buku manual dan laporan)")
    if handover.admin_accounts_separately:
        items.append("Akun administrator (diserahkan terpisah)")
    return items


def context(snap: Snapshot, signers: Signers) -> dict:
    handover = snap.for_log(Handover)
    if handover is None:
        raise LookupError("No handover was recorded at this transition.")
    socialisation = snap.for_log(Socialisation)
    release = Release.objects.filter(proposal=snap.req).first()
    receiver = handover.receiver
    application = None
    if release is not None:
        name = handover.application.name if handover.application else snap.req.app_name
        application = {"name": name, "url": release.url, "version": release.version}
    data = {
        "held_on": socialisation.held_on if socialisation else handover.created_at.date(),
        "place": socialisation.place if socialisation else "",
        # Handed over by the Kasi whose Prakom built it, to the unit (no Mengetahui block).
        "first_party": signers.holder(Role.KASI, handover.created_at),
        "second_party": person_block(
            receiver,
            position=receiver.position or f"Perwakilan {snap.req.unit.name}",
            when=handover.created_at,
            titles=signers.academic_titles,
        ),
        "items": handover_items(handover, release),
        "application": application,
    }
    return {"handover": handover, **build(snap.req, data, signers)}
