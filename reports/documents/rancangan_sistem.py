"""4. Rancangan sistem — step 5: the design summary and its documents with SHA-256."""

from reports.documents.base import Signers, Snapshot
from reports.models import DocumentKind
from requests_intake.models import AttachmentKind
from workflow.models import DesignRecord
from workflow.states import Role

KIND = DocumentKind.DESIGN
TEMPLATE = "reports/pdf/rancangan_sistem.html"
DESIGN_KINDS = (
    AttachmentKind.DATA_STRUCTURE,
    AttachmentKind.PROGRAM_FLOW,
    AttachmentKind.INTERFACE_DESIGN,
)


def title(log) -> str:
    return "Rancangan Sistem"


def context(snap: Snapshot, signers: Signers) -> dict:
    design = snap.for_log(DesignRecord)
    return {
        "design": design,
        "files": snap.attachments(*DESIGN_KINDS),
        "signer": signers.of_record(design, Role.PRAKOM),
    }
