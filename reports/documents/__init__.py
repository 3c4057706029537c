"""One module per document kind: ``KIND``, ``TEMPLATE``, ``title(log)``, ``context(snap, signers)``.

``CHECKPOINTS`` says which transition issues which documents.
"""

from types import ModuleType

from reports.documents import (
    ba_presentasi,
    ba_sosialisasi,
    catatan_reviu,
    keputusan,
    laporan,
    lembar_disposisi,
    rancangan_sistem,
    rekam_jejak,
    tanda_terima,
)
from reports.models import DocumentKind

MODULES: dict[str, ModuleType] = {
    module.KIND: module
    for module in (
        tanda_terima,
        lembar_disposisi,
        keputusan,
        rancangan_sistem,
        ba_presentasi,
        catatan_reviu,
        laporan,
        ba_sosialisasi,
        rekam_jejak,
    )
}

# Transition name → the documents its checkpoint issues (the rekam jejak is on request).
CHECKPOINTS: dict[str, tuple[str, ...]] = {
    "submit": (DocumentKind.RECEIPT,),
    "receive": (DocumentKind.DISPOSITION,),
    "forward_to_kabid": (DocumentKind.DISPOSITION,),
    "forward_to_kadis": (DocumentKind.DISPOSITION,),
    "decide_needed": (DocumentKind.DECISION,),
    "decide_not_needed": (DocumentKind.DECISION,),
    "decide_use_existing": (DocumentKind.DECISION,),
    "finish_design": (DocumentKind.DESIGN,),
    "record_presentation": (DocumentKind.PRESENTATION,),
    "accept_review": (DocumentKind.REVIEW,),
    "request_another_round": (DocumentKind.REVIEW,),
    "submit_report": (DocumentKind.REPORT,),
    "kasi_accept": (DocumentKind.REPORT,),
    "kasi_return": (DocumentKind.REPORT,),
    "kabid_accept": (DocumentKind.REPORT,),
    "kabid_return": (DocumentKind.REPORT,),
    "kadis_accept": (DocumentKind.REPORT,),
    "kadis_return": (DocumentKind.REPORT,),
    "finish_socialisation": (DocumentKind.SOCIALISATION,),
}
