"""One service per SOP transition, and the other writes on a running proposal.

``take_<transition>`` takes one transition (declared in ``workflow.transitions``). Every
one: locks the proposal row, refuses a stale form (``revision``), checks the actor's
role, unit and assignment through django-fsm-2's ``has_transition_perm``, checks the
documents the transition requires, applies it, saves, writes exactly one
``TransitionLog`` row and the step's record, all inside one transaction; documents and
e-mails follow after the commit.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import ConcurrentTransition, can_proceed, has_transition_perm

from reports.checkpoints import transition_committed
from requests_intake.models import ApplicationRequest, Attachment, AttachmentKind
from requests_intake.services import next_sequence
from workflow import transitions
from workflow.audit import append_log
from workflow.errors import ActionForbidden, ActionIncomplete, AlreadyTaken, StaleAction
from workflow.models import (
    Check,
    Decision,
    DesignRecord,
    Disposition,
    Notification,
    PrakomAssignment,
    PresentationRound,
    Receipt,
    ReportRecord,
    ReviewOutcome,
    ReviewRound,
    Socialisation,
    StepRecord,
    StepVisit,
    TransitionLog,
    User,
)
from workflow.notifications import notify_people, notify_transition
from workflow.roles import acting_assignments, can_act_as, forget_roles, has_role, own_roles
from workflow.sla import close_visit, local_date, open_visit, record_submission
from workflow.states import FINAL_STATES, Role, State, step_number
from workflow.transitions import Transition
from workflow.workdays import WorkCalendar

STALE_MESSAGE = gettext_lazy(
    "Usulan ini sudah diproses orang lain atau halaman Anda sudah usang. "
    "Tidak ada yang diubah; silakan periksa status terbarunya."
)

# What a step records once its transition is applied: the record's model and fields.
RecordOf = Callable[[ApplicationRequest, Role], tuple[type[StepRecord], dict[str, Any]]]


def transition_role(name: str) -> Role:
    """The SOP role that takes transition ``name``."""
    return transitions.TRANSITIONS[name].role


def _lock(proposal_id: int) -> ApplicationRequest:
    try:
        proposal: ApplicationRequest = ApplicationRequest.objects.select_for_update().get(
            pk=proposal_id
        )
        return proposal
    except ApplicationRequest.DoesNotExist:
        raise StaleAction(_("Usulan tidak ditemukan.")) from None


def _refusal(req: ApplicationRequest, actor: User, name: str, revision: int | None) -> StaleAction:
    """Why a form no longer applies: taken already by this very person, or stale.

    A second press of the same button (a double click, a resend while the page was slow)
    arrives after the first one moved the proposal. Its answer must not say that someone
    else handled it: the person's own action succeeded. It is recognised by the revision
    the form carried being exactly one behind, the last move being this action by this
    person, and the action not being available again now.
    """
    if revision is not None and req.revision == revision + 1:
        last = TransitionLog.objects.filter(request=req).order_by("-seq").first()
        if last is not None and last.transition == name and last.actor_id == actor.pk:
            return AlreadyTaken(_("Tindakan ini sudah tercatat; tidak ada yang diubah lagi."))
    return StaleAction(STALE_MESSAGE)


def _missing_documents(req: ApplicationRequest, transition: Transition) -> list[str]:
    required = transition.required_kinds
    if not required:
        return []
    present = set(
        Attachment.objects.filter(request=req, kind__in=required).values_list("kind", flat=True)
    )
    labels = dict(AttachmentKind.choices)
    return [str(labels[k]) for k in required if k not in present]


def _take(
    transition: Transition,
    *,
    actor: User,
    proposal_id: int,
    revision: int | None,
    note: str = "",
    record: RecordOf | None = None,
    **kwargs: Any,
) -> tuple[ApplicationRequest, TransitionLog]:
    """Lock, check and apply ``transition``; write its log row and the step's record.

    ``kwargs`` go to the state machine's method; ``record(req, role)`` gives the step
    record's model and fields once the transition is applied (the log row's hash covers
    it: workflow.audit).
    """
    name = transition.name
    forget_roles(actor)  # acting periods end at midnight: never trust a memo here
    role = transition.role
    if not has_role(actor, role):
        raise ActionForbidden(_("Peran Anda tidak berwenang mengambil tindakan ini."))
    req = _lock(proposal_id)
    method = getattr(req, name)
    if (revision is not None and revision != req.revision) or not can_proceed(method):
        raise _refusal(req, actor, name, revision)
    if not has_transition_perm(method, actor):
        raise ActionForbidden(_("Anda tidak berwenang mengambil tindakan ini pada usulan ini."))
    missing = _missing_documents(req, transition)
    if missing:
        raise ActionIncomplete(
            _("Tahap ini belum dapat diselesaikan. Unggah dahulu: %(docs)s.")
            % {"docs": ", ".join(missing)}
        )
    from_state = req.state
    method(**kwargs)
    now = timezone.now()
    req.revision += 1
    req.state_entered_at = now
    calendar = WorkCalendar.load()
    old_step, new_step = step_number(from_state), step_number(req.state)
    visit = None
    if new_step != old_step:
        req.due_date = None
        if new_step is not None:
            visit = open_visit(req, new_step, now, calendar)
    if req.state in FINAL_STATES and req.submitted_at is not None:
        req.total_working_days = calendar.working_days_between(
            local_date(req.submitted_at), local_date(now)
        )
    try:
        req.save()
    except ConcurrentTransition:
        raise StaleAction(STALE_MESSAGE) from None
    if from_state == State.DRAFT:
        record_submission(req, now, calendar)
    if new_step != old_step:
        close_visit(req, now, calendar)
        if visit is not None:
            visit.save()
    step_record = None
    if record is not None:
        model, fields = record(req, role)
        fields = {"request": req, "created_by": actor, "created_at": now, **fields}
        step_record = (model, fields)
    log = append_log(  # chained to the previous row: tamper-evident (workflow.audit)
        record=step_record,
        request=req,
        transition=name,
        from_state=from_state,
        to_state=req.state,
        actor=actor,
        role=role,
        acting=None if role in own_roles(actor) else acting_assignments(actor).get(role),
        note=note,
        created_at=now,
    )
    transition_committed(log)  # the checkpoint's documents, rendered after commit
    notify_transition(req, log)  # in-app now; e-mails after commit
    return req, log


# --- Step 1 -------------------------------------------------------------------------


@transitions.SUBMIT.implemented_by
@transaction.atomic
def take_submit(*, actor: User, proposal_id: int, revision: int | None) -> ApplicationRequest:
    """Step 1: the requesting unit submits its proposal; it gets its registration number."""
    req = _lock(proposal_id)
    if not can_act_as(actor, Role.PEMOHON, req):
        raise ActionForbidden(_("Anda tidak berwenang mengajukan usulan ini."))
    if req.state != State.DRAFT or (revision is not None and revision != req.revision):
        raise _refusal(req, actor, transitions.SUBMIT.name, revision)
    try:
        req.full_clean(exclude=["state"])  # a draft saved long ago must still be complete
    except ValidationError as exc:
        fields = ", ".join(
            str(getattr(req._meta.get_field(f), "verbose_name", f)) if f != "__all__" else str(e[0])
            for f, e in exc.message_dict.items()
        )
        raise ActionIncomplete(
            _("Usulan belum lengkap; perbaiki isian berikut: %(fields)s.") % {"fields": fields}
        ) from None
    year = timezone.localdate().year
    seq = next_sequence(key="registration", year=year)
    number = f"{settings.SOPAPP_REGISTRATION_PREFIX}-{year}-{seq:04d}"
    req, _log = _take(
        transitions.SUBMIT,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
        by=actor,
        registration_number=number,
    )
    return req


# --- Steps 2 and 3 ------------------------------------------------------------------


@transitions.RECEIVE.implemented_by
@transaction.atomic
def take_receive(
    *,
    actor: User,
    proposal_id: int,
    revision: int | None,
    agenda_number: str,
    received_date: datetime.date,
    sifat: str,
    study_notes: str = "",
) -> ApplicationRequest:
    """Step 2: the Kasi receives and studies the proposal (agenda book entry)."""
    req, _log = _take(
        transitions.RECEIVE,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
        note=study_notes,
        record=lambda req, role: (
            Receipt,
            {
                "agenda_number": agenda_number,
                "received_date": received_date,
                "sifat": sifat,
                "study_notes": study_notes,
            },
        ),
    )
    return req


def _forward(
    transition: Transition,
    *,
    to_role: Role,
    actor: User,
    proposal_id: int,
    revision: int | None,
    instructions: list[str],
    note: str,
) -> ApplicationRequest:
    req, _log = _take(
        transition,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
        note=note,
        record=lambda req, role: (
            Disposition,
            {
                "from_role": role,
                "to_role": to_role,
                "instructions": list(instructions),
                "note": note,
            },
        ),
    )
    return req


@transitions.FORWARD_TO_KABID.implemented_by
@transaction.atomic
def take_forward_to_kabid(
    *,
    actor: User,
    proposal_id: int,
    revision: int | None,
    instructions: list[str],
    note: str = "",
) -> ApplicationRequest:
    """Step 3 (procedure c): the Kasi forwards the proposal to the Kabid."""
    return _forward(
        transitions.FORWARD_TO_KABID,
        to_role=Role.KABID,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
        instructions=instructions,
        note=note,
    )


@transitions.FORWARD_TO_KADIS.implemented_by
@transaction.atomic
def take_forward_to_kadis(
    *,
    actor: User,
    proposal_id: int,
    revision: int | None,
    instructions: list[str],
    note: str = "",
) -> ApplicationRequest:
    """Step 3 (procedure d): the Kabid conveys the proposal to the Kepala Dinas."""
    return _forward(
        transitions.FORWARD_TO_KADIS,
        to_role=Role.KADIS,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
        instructions=instructions,
        note=note,
    )


# --- Step 4 -------------------------------------------------------------------------


@transitions.DECIDE_NEEDED.implemented_by
@transaction.atomic
def take_decide_needed(
    *, actor: User, proposal_id: int, revision: int | None, reason: str, prakom: User
) -> ApplicationRequest:
    """Step 4, *perlu*: the build goes ahead with the chosen Prakom staff.

    The decision letter (``reports.documents.keputusan``) is issued after the commit.
    """
    if not has_role(prakom, Role.PRAKOM):
        raise ActionIncomplete(_("Pilih staf Pranata Komputer yang akan mengerjakan."))
    req, log = _take(
        transitions.DECIDE_NEEDED,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
        note=reason,
        reason=reason,
        prakom=prakom,
        record=lambda req, role: (
            Decision,
            {"needed": True, "reason": reason, "assigned_prakom": prakom},
        ),
    )
    PrakomAssignment.objects.create(
        request=req, prakom=prakom, assigned_by=actor, assigned_at=log.created_at
    )
    return req


@transitions.DECIDE_NOT_NEEDED.implemented_by
@transaction.atomic
def take_decide_not_needed(
    *, actor: User, proposal_id: int, revision: int | None, reason: str
) -> ApplicationRequest:
    """Step 4, *tidak perlu*: the proposal ends as rejected, with the reason."""
    if not reason.strip():
        raise ActionIncomplete(_("Alasan penolakan wajib diisi."))
    req, _log = _take(
        transitions.DECIDE_NOT_NEEDED,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
        note=reason,
        reason=reason,
        record=lambda req, role: (Decision, {"needed": False, "reason": reason}),
    )
    return req


# --- Steps 5 to 7 -------------------------------------------------------------------


@transitions.FINISH_DESIGN.implemented_by
@transaction.atomic
def take_finish_design(
    *, actor: User, proposal_id: int, revision: int | None, summary: str
) -> ApplicationRequest:
    """Step 5: data structure, program flow and interface design are ready."""
    req, _log = _take(
        transitions.FINISH_DESIGN,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
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
    held_on: datetime.date,
    place: str,
    attendees: list[dict[str, str]],
    points_raised: str,
) -> ApplicationRequest:
    """Step 6: the design was presented to the users (one round)."""
    req, _log = _take(
        transitions.RECORD_PRESENTATION,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
        note=points_raised,
        record=lambda req, role: (
            PresentationRound,
            {
                "round": req.presentation_rounds,
                "held_on": held_on,
                "place": place,
                "attendees": attendees,
                "points_raised": points_raised,
            },
        ),
    )
    return req


def _review(
    transition: Transition,
    *,
    outcome: str,
    actor: User,
    proposal_id: int,
    revision: int | None,
    requested_changes: str,
    changes_made: str,
) -> ApplicationRequest:
    req, _log = _take(
        transition,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
        note=changes_made,
        record=lambda req, role: (
            ReviewRound,
            {
                "round": req.presentation_rounds,
                "requested_changes": requested_changes,
                "changes_made": changes_made,
                "outcome": outcome,
            },
        ),
    )
    return req


@transitions.ACCEPT_REVIEW.implemented_by
@transaction.atomic
def take_accept_review(
    *,
    actor: User,
    proposal_id: int,
    revision: int | None,
    requested_changes: str = "",
    changes_made: str = "",
) -> ApplicationRequest:
    """Step 7: the users accept the revised design; on to the manual and report.

    Nothing needs to have been asked or changed: the users may accept the design as shown.
    """
    return _review(
        transitions.ACCEPT_REVIEW,
        outcome=ReviewOutcome.ACCEPTED,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
        requested_changes=requested_changes,
        changes_made=changes_made,
    )


@transitions.REQUEST_ANOTHER_ROUND.implemented_by
@transaction.atomic
def take_request_another_round(
    *,
    actor: User,
    proposal_id: int,
    revision: int | None,
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
        requested_changes=requested_changes,
        changes_made=changes_made,
    )


# --- Steps 8 to 11 ------------------------------------------------------------------


@transitions.SUBMIT_REPORT.implemented_by
@transaction.atomic
def take_submit_report(
    *,
    actor: User,
    proposal_id: int,
    revision: int | None,
    summary: str,
    manual_version: str,
    application_url: str = "",
) -> ApplicationRequest:
    """Step 8: the manual and the report go to the Kasi for checking."""
    req, _log = _take(
        transitions.SUBMIT_REPORT,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
        note=summary,
        record=lambda req, role: (
            ReportRecord,
            {
                "round": req.report_rounds,
                "summary": summary,
                "manual_version": manual_version,
                "application_url": application_url,
            },
        ),
    )
    return req


def _check(
    transition: Transition,
    *,
    accepted: bool,
    actor: User,
    proposal_id: int,
    revision: int | None,
    note: str,
) -> ApplicationRequest:
    """Steps 9–11: one official's check of the latest report, accepted or returned."""
    if not accepted and not note.strip():
        raise ActionIncomplete(_("Catatan wajib diisi saat mengembalikan laporan."))

    def check_record(
        req: ApplicationRequest, role: Role
    ) -> tuple[type[StepRecord], dict[str, Any]]:
        report = ReportRecord.objects.filter(request=req).order_by("-round").first()
        return Check, {"report": report, "role": role, "accepted": accepted, "note": note}

    req, _log = _take(
        transition,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
        note=note,
        record=check_record,
    )
    return req


@transitions.KASI_ACCEPT.implemented_by
@transaction.atomic
def take_kasi_accept(
    *, actor: User, proposal_id: int, revision: int | None, note: str = ""
) -> ApplicationRequest:
    """Step 9: the Kasi accepts the report; it goes to the Kabid."""
    return _check(
        transitions.KASI_ACCEPT,
        accepted=True,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
        note=note,
    )


@transitions.KASI_RETURN.implemented_by
@transaction.atomic
def take_kasi_return(
    *, actor: User, proposal_id: int, revision: int | None, note: str = ""
) -> ApplicationRequest:
    """Step 9: the Kasi returns the report to the Prakom (step 8), saying why."""
    return _check(
        transitions.KASI_RETURN,
        accepted=False,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
        note=note,
    )


@transitions.KABID_ACCEPT.implemented_by
@transaction.atomic
def take_kabid_accept(
    *, actor: User, proposal_id: int, revision: int | None, note: str = ""
) -> ApplicationRequest:
    """Step 10: the Kabid accepts the report; it goes to the Kepala Dinas."""
    return _check(
        transitions.KABID_ACCEPT,
        accepted=True,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
        note=note,
    )


@transitions.KABID_RETURN.implemented_by
@transaction.atomic
def take_kabid_return(
    *, actor: User, proposal_id: int, revision: int | None, note: str = ""
) -> ApplicationRequest:
    """Step 10: the Kabid returns the report to the Prakom (step 8), saying why."""
    return _check(
        transitions.KABID_RETURN,
        accepted=False,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
        note=note,
    )


@transitions.KADIS_ACCEPT.implemented_by
@transaction.atomic
def take_kadis_accept(
    *, actor: User, proposal_id: int, revision: int | None, note: str = ""
) -> ApplicationRequest:
    """Step 11: the Kepala Dinas accepts the report; on to socialisation."""
    return _check(
        transitions.KADIS_ACCEPT,
        accepted=True,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
        note=note,
    )


@transitions.KADIS_RETURN.implemented_by
@transaction.atomic
def take_kadis_return(
    *, actor: User, proposal_id: int, revision: int | None, note: str = ""
) -> ApplicationRequest:
    """Step 11: the Kepala Dinas returns the report to the Prakom (step 8), saying why."""
    return _check(
        transitions.KADIS_RETURN,
        accepted=False,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
        note=note,
    )


# --- Step 12 ------------------------------------------------------------------------


@transitions.FINISH_SOCIALISATION.implemented_by
@transaction.atomic
def take_finish_socialisation(
    *,
    actor: User,
    proposal_id: int,
    revision: int | None,
    held_on: datetime.date,
    place: str,
    participants: list[dict[str, str]],
    material: str,
) -> ApplicationRequest:
    """Step 12: the application was socialised to its users; the SOP ends."""
    req, _log = _take(
        transitions.FINISH_SOCIALISATION,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
        note=material,
        record=lambda req, role: (
            Socialisation,
            {
                "held_on": held_on,
                "place": place,
                "participants": participants,
                "material": material,
            },
        ),
    )
    return req


# --- Not transitions ----------------------------------------------------------------


@transaction.atomic
def proposal_delete_draft(*, actor: User, proposal_id: int) -> None:
    """Delete a draft that was never submitted, with its files."""
    req = ApplicationRequest.objects.select_for_update().get(pk=proposal_id)
    if not can_act_as(actor, Role.PEMOHON, req):
        raise ActionForbidden(_("Anda tidak dapat menghapus usulan ini."))
    if req.state != State.DRAFT:
        raise StaleAction(_("Usulan ini sudah diajukan dan tidak dapat dihapus."))
    attachments = list(req.attachments.all())
    names = [a.file.name for a in attachments]
    storage = attachments[0].file.storage if attachments else None
    for attachment in attachments:
        attachment.delete()
    StepVisit.objects.filter(request=req).delete()  # a draft from before step 1 began at submission
    req.delete()
    if storage is not None:
        transaction.on_commit(lambda: [storage.delete(n) for n in names])


@transaction.atomic
def proposal_reassign_prakom(
    *, actor: User, proposal_id: int, revision: int | None, prakom: User, note: str = ""
) -> ApplicationRequest:
    """The Kasi hands the build to another Prakom (not a transition: the step goes on)."""
    if not has_role(actor, Role.KASI):
        raise ActionForbidden(_("Hanya Kasi yang dapat mengganti staf Prakom pelaksana."))
    req = _lock(proposal_id)
    if revision is not None and revision != req.revision:
        raise StaleAction(STALE_MESSAGE)
    if req.assigned_prakom_id is None or req.state in FINAL_STATES:
        raise StaleAction(_("Usulan ini tidak sedang dikerjakan staf Prakom."))
    if Role.PRAKOM not in own_roles(prakom):
        raise ActionIncomplete(_("Pilih staf Pranata Komputer yang aktif."))
    if prakom.pk == req.assigned_prakom_id:
        raise ActionIncomplete(_("Staf tersebut sudah menjadi pelaksana usulan ini."))
    previous = req.assigned_prakom
    req.assigned_prakom = prakom
    req.revision += 1
    req.save(update_fields=["assigned_prakom", "revision", "updated_at"])
    PrakomAssignment.objects.create(
        request=req, prakom=prakom, previous=previous, assigned_by=actor, note=note
    )
    notify_people(req, [prakom], kind=Notification.Kind.ASSIGNMENT, actor=actor, reason="act")
    return req
