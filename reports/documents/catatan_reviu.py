"""6. Catatan reviu — step 7, one per round: what the users asked and what was changed."""

from reports.documents.base import Signers, Snapshot
from reports.models import DocumentKind
from requests_intake.models import AttachmentKind
from workflow.models import ReviewRound
from workflow.states import Role

KIND = DocumentKind.REVIEW
TEMPLATE = "reports/pdf/catatan_reviu.html"


def title(log) -> str:
    rnd = ReviewRound.objects.filter(log=log).values_list("round", flat=True).first()
    return f"Catatan Reviu Rancangan Sistem (putaran {rnd or 1})"


def title_from_record(log, record) -> str | None:
    if not isinstance(record, ReviewRound):
        return None
    rnd = record.round
    return f"Catatan Reviu Rancangan Sistem (putaran {rnd or 1})"


def context(snap: Snapshot, signers: Signers) -> dict:
    review = snap.for_log(ReviewRound)
    return {
        "review": review,
        "earlier": [r for r in snap.records(ReviewRound) if r.pk != review.pk],
        "files": snap.latest_attachments(AttachmentKind.REVIEW_NOTES),
        "signer": signers.of_record(review, Role.PRAKOM),
    }
