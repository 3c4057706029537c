"""8. Berita acara sosialisasi — step 12."""

from reports.documents.base import Signers, Snapshot
from reports.formatting import terbilang
from reports.models import DocumentKind
from requests_intake.models import AttachmentKind
from workflow.models import Socialisation
from workflow.states import Role

KIND = DocumentKind.SOCIALISATION
TEMPLATE = "reports/pdf/ba_sosialisasi.html"


def title(log) -> str:
    return "Berita Acara Sosialisasi Aplikasi"


def context(snap: Snapshot, signers: Signers) -> dict:
    socialisation = snap.for_log(Socialisation)
    participants = socialisation.participants or []
    return {
        "socialisation": socialisation,
        "participants": participants,
        "participant_count": len(participants),
        "participant_count_words": terbilang(len(participants)),
        "files": snap.latest_attachments(
            AttachmentKind.SOCIALISATION_MATERIAL, AttachmentKind.SOCIALISATION_ATTENDANCE
        ),
        "signer": signers.of_record(socialisation, Role.PRAKOM),
        "known_by": signers.holder(Role.KASI),
        "user_representative": participants[0] if participants else None,
    }
