"""Surat undangan to the requesting unit — steps 6 and 12, when the presentation or the
socialisation is scheduled.

Scheduling a meeting is not a transition: ``workflow.services.meeting_schedule`` calls
``reports.checkpoints.meeting_scheduled``, which issues this letter after the commit
(``reports.services.invitation_for_meeting``). ``context`` reads the meeting scheduled
last before the letter's date; ``build(req, data, signers)`` takes it as a plain dict
(``event``: hari_tanggal, waktu, tempat, acara; ``purpose``; ``signer`` person block;
optional ``copies``).
"""

from reports.documents.base import Signers, Snapshot
from reports.formatting import hari_tanggal
from reports.models import DocumentKind
from workflow.models import Meeting, MeetingKind
from workflow.states import Role

PURPOSE = {
    MeetingKind.PRESENTATION: "presentasi rancangan sistem",
    MeetingKind.SOCIALISATION: "sosialisasi",
}

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


def meeting_of(snap: Snapshot) -> Meeting | None:
    """The meeting the letter invites to: the last one scheduled before its date."""
    return (
        Meeting.objects.filter(request=snap.req, created_at__lte=snap.as_of)
        .order_by("-created_at", "-pk")
        .first()
    )


def meeting_data(meeting: Meeting, signers: Signers) -> dict:
    where = ", ".join(filter(None, [meeting.place, meeting.online_link]))
    purpose = PURPOSE.get(meeting.kind, meeting.get_kind_display().lower())
    return {
        "purpose": purpose,
        "event": {
            "hari_tanggal": hari_tanggal(meeting.date),
            "waktu": f"{meeting.time:%H.%M} WIB s.d. selesai",
            "tempat": where,
            "acara": meeting.agenda or purpose[:1].upper() + purpose[1:],
        },
        "signer": signers.holder(Role.KADIS, meeting.created_at),
        "copies": [signers.title(Role.KABID), signers.title(Role.KASI)],
    }


def context(snap: Snapshot, signers: Signers) -> dict:
    meeting = meeting_of(snap)
    if meeting is None:
        raise LookupError("No meeting was scheduled before this letter.")
    return {"meeting": meeting, **build(snap.req, meeting_data(meeting, signers), signers)}
