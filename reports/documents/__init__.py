"""One module per document kind: ``KIND``, ``TEMPLATE``, ``title(log)``, ``context(snap, signers)``.

``CHECKPOINTS`` says which transition issues which documents. What each kind is (a
numbered letter or a working paper) and who signs it: ``reports.kinds``.
"""

from types import ModuleType

from reports.documents import (
    ba_presentasi,
    ba_serah_terima,
    ba_sosialisasi,
    catatan_reviu,
    disposisi,
    keputusan,
    laporan,
    lembar_disposisi,
    nota_dinas,
    rancangan_sistem,
    rekam_jejak,
    surat,
    tanda_terima,
    undangan,
)
from reports.models import DocumentKind

MODULES: dict[str, ModuleType] = {
    module.KIND: module
    for module in (
        tanda_terima,
        nota_dinas,
        disposisi,
        surat,
        undangan,
        rancangan_sistem,
        ba_presentasi,
        catatan_reviu,
        laporan,
        ba_sosialisasi,
        ba_serah_terima,
        rekam_jejak,
        # The formats of earlier versions, for the previews of what they issued.
        lembar_disposisi,
        keputusan,
    )
}

# The checks of a laporan: each archives the round's laporan again under the same number
# with its lembar pengesahan filled so far (no new letter number).
REPORT_CHECKS = frozenset(
    {"kasi_accept", "kasi_return", "kabid_accept", "kabid_return", "kadis_accept", "kadis_return"}
)

# Transition name → the documents its checkpoint issues (the rekam jejak is on request).
# A module may say a kind ``applies(log)`` only to some of a transition's logs (the berita
# acara serah terima: when a handover was recorded). The surat undangan is issued when a
# meeting is scheduled, which is not a transition (``reports.checkpoints``).
CHECKPOINTS: dict[str, tuple[str, ...]] = {
    "submit": (DocumentKind.RECEIPT,),
    "forward_to_kabid": (DocumentKind.NOTA_DINAS,),
    "forward_to_kadis": (DocumentKind.NOTA_DINAS,),
    "decide_needed": (DocumentKind.KADIS_DISPOSITION, DocumentKind.LETTER),
    "decide_not_needed": (DocumentKind.KADIS_DISPOSITION, DocumentKind.LETTER),
    "decide_use_existing": (DocumentKind.KADIS_DISPOSITION, DocumentKind.LETTER),
    "finish_design": (DocumentKind.DESIGN,),
    "record_presentation": (DocumentKind.PRESENTATION,),
    "accept_review": (DocumentKind.REVIEW,),
    "request_another_round": (DocumentKind.REVIEW,),
    "submit_report": (DocumentKind.REPORT,),
    **dict.fromkeys(sorted(REPORT_CHECKS), (DocumentKind.REPORT,)),
    "finish_socialisation": (DocumentKind.SOCIALISATION, DocumentKind.HANDOVER),
}


def applies(kind: str, log) -> bool:
    """Whether a checkpoint's ``kind`` is issued for this very log entry."""
    check = getattr(MODULES[kind], "applies", None)
    return check is None or bool(check(log))


def document_title(kind: str, log, record=None) -> str:
    """The archive title of a ``kind`` issued at ``log``; a module whose title reads the
    step record offers ``title_from_record`` to spare the query when it is at hand."""
    module = MODULES[kind]
    from_record = getattr(module, "title_from_record", None)
    found = from_record(log, record) if record is not None and from_record is not None else None
    return str(found if found is not None else module.title(log))
