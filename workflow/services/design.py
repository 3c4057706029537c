"""Steps 5 to 7: the design, its presentation to the users (a scheduled meeting with
invitations) and the review, with the requesting unit's agreement to each round."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db import transaction
from django.db.models import Case, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.checkpoints import meeting_scheduled
from requests_intake.models import ApplicationRequest
from workflow import transitions
from workflow.errors import ActionForbidden, ActionIncomplete, StaleAction
from workflow.models import (
    MEETING_OF_STATE,
    DesignRecord,
    Invitation,
    Meeting,
    MeetingKind,
    Notification,
    PresentationRound,
    ReviewOutcome,
    ReviewRound,
    StepRecord,
    UnitAgreement,
    User,
    pending_meeting,
)
from workflow.notifications import notify_people
from workflow.roles import can_act_as, has_role
from workflow.services.core import _lock, _take
from workflow.states import Role
from workflow.transitions import Transition

# --- Steps 5 to 7 -------------------------------------------------------------------


@transitions.FINISH_DESIGN.implemented_by
@transaction.atomic
def take_finish_design(
    *, actor: User, proposal_id: int, revision: int | None, late_reason: str = "", summary: str
) -> ApplicationRequest:
    """Step 5: data structure, program flow and interface design are ready."""
    req, _log = _take(
        transitions.FINISH_DESIGN,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
        late_reason=late_reason,
        note=summary,
        record=lambda req, role: (DesignRecord, {"summary": summary}),
    )
    return req


@transitions.RECORD_PRESENTATION.implemented_by
@transaction.atomic
def take_record_presentation(
    *,
    actor: User,
    proposal_id: int,
    revision: int | None,
    late_reason: str = "",
    held_on: datetime.date,
    place: str,
    attendees: list[dict[str, str]],
    points_raised: str,
    attended: list[int] | None = None,
) -> ApplicationRequest:
    """Step 6: the design was presented to the users (one round).

    The presentation was scheduled first (``meeting_schedule``): who of the invited came is
    marked, and they head the attendance list.
    """
    closing: list[ClosingMeeting] = []

    def presented(req: ApplicationRequest, role: Role) -> tuple[type[StepRecord], dict]:
        closing.append(ClosingMeeting(req, MeetingKind.PRESENTATION, attended))
        return PresentationRound, {
            "round": req.presentation_rounds,
            "held_on": held_on,
            "place": place,
            "attendees": closing[0].people() + list(attendees),
            "points_raised": points_raised,
        }

    req, _log = _take(
        transitions.RECORD_PRESENTATION,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
        late_reason=late_reason,
        note=points_raised,
        record=presented,
        also=lambda req, log: closing[0].close(),
    )
    return req


def _review(
    transition: Transition,
    *,
    outcome: str,
    actor: User,
    proposal_id: int,
    revision: int | None,
    late_reason: str = "",
    requested_changes: str,
    changes_made: str,
    check: Callable[[ApplicationRequest], None] | None = None,
) -> ApplicationRequest:
    def reviewed(req: ApplicationRequest, role: Role) -> tuple[type[StepRecord], dict]:
        if check is not None:
            check(req)
        return ReviewRound, {
            "round": req.presentation_rounds,
            "requested_changes": requested_changes,
            "changes_made": changes_made,
            "outcome": outcome,
        }

    req, _log = _take(
        transition,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
        late_reason=late_reason,
        note=changes_made,
        record=reviewed,
    )
    return req


@transitions.ACCEPT_REVIEW.implemented_by
@transaction.atomic
def take_accept_review(
    *,
    actor: User,
    proposal_id: int,
    revision: int | None,
    late_reason: str = "",
    requested_changes: str = "",
    changes_made: str = "",
) -> ApplicationRequest:
    """Step 7: the users accept the revised design; on to the manual and report.

    Nothing needs to have been asked or changed: the users may accept the design as shown.
    The requesting unit must have agreed to this round's design in the app.
    """

    def agreed(req: ApplicationRequest) -> None:  # under the lock, the step's checks passed
        if not unit_agreed(req):
            raise ActionIncomplete(
                _(
                    "Perangkat Daerah belum menyetujui rancangan putaran ini. "
                    "Mintalah persetujuan rancangan kepada Perangkat Daerah terlebih dahulu."
                )
            )

    return _review(
        transitions.ACCEPT_REVIEW,
        outcome=ReviewOutcome.ACCEPTED,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
        late_reason=late_reason,
        requested_changes=requested_changes,
        changes_made=changes_made,
        check=agreed,
    )


@transitions.REQUEST_ANOTHER_ROUND.implemented_by
@transaction.atomic
def take_request_another_round(
    *,
    actor: User,
    proposal_id: int,
    revision: int | None,
    late_reason: str = "",
    requested_changes: str,
    changes_made: str,
) -> ApplicationRequest:
    """Step 7: the users want to see the design again: back to step 6."""
    return _review(
        transitions.REQUEST_ANOTHER_ROUND,
        outcome=ReviewOutcome.ANOTHER_ROUND,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
        late_reason=late_reason,
        requested_changes=requested_changes,
        changes_made=changes_made,
    )


@transitions.REQUEST_AGREEMENT.implemented_by
@transaction.atomic
def take_request_agreement(
    *, actor: User, proposal_id: int, revision: int | None, late_reason: str = "", note: str = ""
) -> ApplicationRequest:
    """Step 7: Prakom asks the unit to state its agreement to this round's design."""
    req, _log = _take(
        transitions.REQUEST_AGREEMENT,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
        late_reason=late_reason,
        note=note,
    )
    return req


def _unit_answer(
    transition: Transition,
    *,
    agreed: bool,
    actor: User,
    proposal_id: int,
    revision: int | None,
    late_reason: str,
    points: str,
) -> ApplicationRequest:
    req, _log = _take(
        transition,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
        late_reason=late_reason,
        note=points,
        record=lambda req, role: (
            UnitAgreement,
            {"round": req.presentation_rounds, "agreed": agreed, "points": points, "role": role},
        ),
    )
    return req


@transitions.UNIT_AGREE.implemented_by
@transaction.atomic
def take_unit_agree(
    *, actor: User, proposal_id: int, revision: int | None, late_reason: str = "", points: str = ""
) -> ApplicationRequest:
    """Step 7: the requesting unit agrees to the design (*rancangan disetujui*)."""
    return _unit_answer(
        transitions.UNIT_AGREE,
        agreed=True,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
        late_reason=late_reason,
        points=points,
    )


@transitions.UNIT_REQUEST_CHANGES.implemented_by
@transaction.atomic
def take_unit_request_changes(
    *, actor: User, proposal_id: int, revision: int | None, late_reason: str = "", points: str
) -> ApplicationRequest:
    """Step 7: the requesting unit asks for changes (*perlu perbaikan*) with its points."""
    if not points.strip():
        raise ActionIncomplete(_("Sebutkan hal yang perlu diperbaiki."))
    return _unit_answer(
        transitions.UNIT_REQUEST_CHANGES,
        agreed=False,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
        late_reason=late_reason,
        points=points,
    )


def unit_agreed(req: ApplicationRequest) -> bool:
    """Whether the unit's last answer in this design round is *rancangan disetujui*."""
    last = (
        UnitAgreement.objects.filter(request=req, round=req.presentation_rounds)
        .order_by("-created_at", "-pk")
        .first()
    )
    return last is not None and last.agreed


# --- Meetings with the unit's users (steps 6 and 12) ---------------------------------


def _state_of_meeting(kind: str) -> str | None:
    return next((state for state, k in MEETING_OF_STATE.items() if k == kind), None)


@transaction.atomic
def meeting_schedule(
    *,
    actor: User,
    proposal_id: int,
    kind: str,
    date: datetime.date,
    time: datetime.time,
    place: str = "",
    online_link: str = "",
    agenda: str = "",
    invitees: list,
) -> Meeting:
    """Schedule (or reschedule) the presentation or socialisation; invite the unit's users.

    Not a transition: the step goes on. Invitees are told in the app and by e-mail; a
    rescheduled meeting keeps the confirmations of the people still invited. The surat
    undangan is issued after the commit (``reports.checkpoints.meeting_scheduled``).
    """
    req = _lock(proposal_id)
    if req.state != _state_of_meeting(kind):
        raise StaleAction(_("Pertemuan ini tidak dapat dijadwalkan pada tahap sekarang."))
    if not can_act_as(actor, Role.PRAKOM, req):
        raise ActionForbidden(_("Hanya staf Prakom pelaksana yang menjadwalkan pertemuan."))
    if not place.strip() and not online_link.strip():
        raise ActionIncomplete(_("Isi tempat atau tautan daring."))
    people = [u for u in invitees if u.unit_id == req.unit_id and has_role(u, Role.PEMOHON)]
    if not people:
        raise ActionIncomplete(_("Pilih paling sedikit satu pengguna dari Perangkat Daerah."))
    fields = {"date": date, "time": time, "place": place, "online_link": online_link}
    meeting = pending_meeting(req, kind)
    if meeting is None:
        round_number = req.presentation_rounds + 1 if kind == MeetingKind.PRESENTATION else 1
        meeting = Meeting.objects.create(
            request=req, kind=kind, round=round_number, agenda=agenda, created_by=actor, **fields
        )
    else:
        for name, value in {**fields, "agenda": agenda}.items():
            setattr(meeting, name, value)
        meeting.save()
    keep = {u.pk for u in people}
    meeting.invitations.exclude(user_id__in=keep).delete()
    have = set(meeting.invitations.values_list("user_id", flat=True))
    Invitation.objects.bulk_create(
        [Invitation(meeting=meeting, user=u) for u in people if u.pk not in have]
    )
    notify_people(req, people, kind=Notification.Kind.INVITATION, actor=actor, reason="invited")
    meeting_scheduled(meeting, actor)
    return meeting


@transaction.atomic
def invitation_confirm(*, actor: User, invitation_id: int) -> Invitation:
    """An invited user confirms they will attend."""
    invitation = (
        Invitation.objects.select_for_update().select_related("meeting").filter(pk=invitation_id)
    ).first()
    if invitation is None or invitation.user_id != actor.pk:
        raise ActionForbidden(_("Undangan ini bukan untuk Anda."))
    if invitation.meeting.held:
        raise StaleAction(_("Pertemuan ini sudah dilaksanakan."))
    if invitation.confirmed_at is None:
        invitation.confirmed_at = timezone.now()
        invitation.save(update_fields=["confirmed_at"])
    return invitation


class ClosingMeeting:
    """The scheduled meeting a recording closes (step 6 or 12), read once under the lock.

    ``people()`` are the invitees who came, heading the attendance list of the step's
    record; ``close()`` marks the meeting held and who came. Refused when none was
    scheduled."""

    def __init__(self, req: ApplicationRequest, kind: str, attended: list[int] | None) -> None:
        meeting = pending_meeting(req, kind)
        if meeting is None:
            raise ActionIncomplete(
                _("Jadwalkan dahulu pertemuan ini dan undang pengguna dari Perangkat Daerah.")
            )
        self.meeting = meeting
        self.came = {int(pk) for pk in attended or ()}

    def people(self) -> list[dict[str, str]]:
        return invited_people(self.meeting, list(self.came)) if self.came else []

    def close(self) -> Meeting:
        meeting = self.meeting
        meeting.invitations.update(
            attended=Case(When(user_id__in=self.came, then=Value(True)), default=Value(False))
        )
        meeting.held = True
        meeting.save(update_fields=["held"])
        return meeting


def invited_people(meeting: Meeting, attended: list[int] | None) -> list[dict[str, str]]:
    """The invitees who came, as attendance lines (name; unit; position)."""
    came = {int(pk) for pk in attended or ()}
    return [
        {
            "name": str(i.user),
            "unit": i.user.unit.name if i.user.unit else "",
            "position": i.user.position,
        }
        for i in meeting.invitations.select_related("user", "user__unit")
        if i.user_id in came
    ]
