"""5. Berita acara presentasi — step 6, one per round."""

from reports.documents.base import Signers, Snapshot
from reports.formatting import terbilang
from reports.models import DocumentKind
from requests_intake.models import AttachmentKind
from workflow.models import PresentationRound
from workflow.states import Role

KIND = DocumentKind.PRESENTATION
TEMPLATE = "reports/pdf/ba_presentasi.html"


def title(log) -> str:
    rnd = PresentationRound.objects.filter(log=log).values_list("round", flat=True).first()
    return f"Berita Acara Presentasi Rancangan Sistem (putaran {rnd or 1})"


def title_from_record(log, record) -> str | None:
    if not isinstance(record, PresentationRound):
        return None
    rnd = record.round
    return f"Berita Acara Presentasi Rancangan Sistem (putaran {rnd or 1})"


def context(snap: Snapshot, signers: Signers) -> dict:
    presentation = snap.for_log(PresentationRound)
    attendees = presentation.attendees or []
    return {
        "presentation": presentation,
        "attendees": attendees,
        "attendee_count": len(attendees),
        "attendee_count_words": terbilang(len(attendees)),
        "round_words": terbilang(presentation.round),
        "files": snap.latest_attachments(
            AttachmentKind.PRESENTATION_MATERIAL, AttachmentKind.PRESENTATION_ATTENDANCE
        ),
        "signer": signers.of_record(presentation, Role.PRAKOM),
        "known_by": signers.holder(Role.KASI),
        "user_representative": attendees[0] if attendees else None,
    }
