"""One service per SOP transition.

Every service: locks the proposal row, refuses a stale form (``revision``), checks the
actor's role, unit and assignment through django-fsm-2's ``has_transition_perm``,
applies the transition, saves, writes exactly one ``TransitionLog`` row and the step's
record, all inside one transaction.
"""

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

from catalogue.models import ApplicationStatus, Release
from catalogue.services import application_from_release, release_record
from reports.checkpoints import transition_committed
from requests_intake.models import REQUIRED_KINDS, ApplicationRequest, Attachment, AttachmentKind
from requests_intake.services import next_sequence
from workflow.audit import append_log
from workflow.errors import ActionForbidden, ActionIncomplete, AlreadyTaken, StaleAction
from workflow.models import (
    ApplicationReuse,
    Check,
    CompletionRequest,
    Decision,
    DesignRecord,
    Disposition,
    Handover,
    Invitation,
    Meeting,
    MeetingKind,
    Notification,
    PrakomAssignment,
    PresentationRound,
    Receipt,
    ReportRecord,
    ReviewOutcome,
    ReviewRound,
    Socialisation,
    StepRecord,
    StudyChecklist,
    TransitionLog,
    UnitAgreement,
)
from workflow.notifications import notify_people, notify_transition
from workflow.roles import (
    acting_assignments,
    can_act_as,
    forget_roles,
    has_role,
    own_roles,
    user_roles,
)
from workflow.sla import close_visit, local_date, open_visit, record_submission
from workflow.states import FINAL_STATES, Role, State, step_number
from workflow.workdays import WorkCalendar

STALE_MESSAGE = gettext_lazy(
    "Usulan ini sudah diproses orang lain atau halaman Anda sudah usang. "
    "Tidak ada yang diubah; silakan periksa status terbarunya."
)


def transition_role(name: str) -> Role:
    """The SOP role that takes transition ``name`` (from its ``permission=``)."""
    meta = getattr(ApplicationRequest, name)._django_fsm
    first = next(iter(meta.transitions.values()))
    return first.permission.role


def _lock(request_id: int) -> ApplicationRequest:
    try:
        return ApplicationRequest.objects.select_for_update().get(pk=request_id)
    except ApplicationRequest.DoesNotExist:
        raise StaleAction(_("Usulan tidak ditemukan.")) from None


def _refusal(req: ApplicationRequest, actor, name: str, revision: int | None) -> StaleAction:
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


def _missing_documents(req: ApplicationRequest, name: str) -> list[str]:
    required = REQUIRED_KINDS.get(name, ())
    if not required:
        return []
    present = set(
        Attachment.objects.filter(request=req, kind__in=required).values_list("kind", flat=True)
    )
    labels = dict(AttachmentKind.choices)
    return [str(labels[k]) for k in required if k not in present]


def _take(
    *,
    actor,
    request_id: int,
    revision: int | None,
    late_reason: str = "",
    name: str,
    note: str = "",
    record: Callable[[ApplicationRequest, Role], tuple[type[StepRecord], dict[str, Any]]]
    | None = None,
    **kwargs: Any,
) -> tuple[ApplicationRequest, TransitionLog]:
    """Lock, check and apply transition ``name``; write its log row and the step's record.

    ``record(req, role)`` gives the record's model and fields once the transition is
    applied; the log row's hash covers it (workflow.audit).
    """
    forget_roles(actor)  # acting periods end at midnight: never trust a memo here
    role = transition_role(name)
    if not has_role(actor, role):
        raise ActionForbidden(_("Peran Anda tidak berwenang mengambil tindakan ini."))
    req = _lock(request_id)
    method = getattr(req, name)
    if (revision is not None and revision != req.revision) or not can_proceed(method):
        raise _refusal(req, actor, name, revision)
    if not has_transition_perm(method, actor):
        raise ActionForbidden(_("Anda tidak berwenang mengambil tindakan ini pada usulan ini."))
    missing = _missing_documents(req, name)
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
        late_reason=late_reason.strip(),
        created_at=now,
    )
    transition_committed(log)  # the checkpoint's documents, rendered after commit
    notify_transition(req, log)  # in-app now; e-mails after commit
    return req, log


@transaction.atomic
def request_submit(
    *, actor, request_id: int, revision: int | None, late_reason: str = ""
) -> ApplicationRequest:
    """Step 1: the requesting unit submits its proposal; it gets its registration number."""
    req = _lock(request_id)
    if not can_act_as(actor, Role.PEMOHON, req):
        raise ActionForbidden(_("Anda tidak berwenang mengajukan usulan ini."))
    if req.state != State.DRAFT or (revision is not None and revision != req.revision):
        raise _refusal(req, actor, "submit", revision)
    try:
        req.full_clean(exclude=["state"])  # a draft saved long ago must still be complete
    except ValidationError as exc:
        fields = ", ".join(
            str(req._meta.get_field(f).verbose_name) if f != "__all__" else str(e[0])
            for f, e in exc.message_dict.items()
        )
        raise ActionIncomplete(
            _("Usulan belum lengkap; perbaiki isian berikut: %(fields)s.") % {"fields": fields}
        ) from None
    year = timezone.localdate().year
    seq = next_sequence(key="registration", year=year)
    number = f"{settings.SOPAPP_REGISTRATION_PREFIX}-{year}-{seq:04d}"
    req, _log = _take(
        actor=actor,
        request_id=request_id,
        revision=revision,
        late_reason=late_reason,
        name="submit",
        by=actor,
        registration_number=number,
    )
    return req


@transaction.atomic
def request_receive(
    *,
    actor,
    request_id: int,
    revision: int | None,
    late_reason: str = "",
    agenda_number: str,
    received_date: datetime.date,
    sifat: str,
    study_notes: str = "",
    checklist: dict | None = None,
) -> ApplicationRequest:
    """Step 2: the Kasi receives and studies the proposal (agenda book entry).

    A proposal completed by its unit after a return comes back here; its letter is in the
    agenda book already, so a second receipt records the study but no second entry.
    """
    received_before = Receipt.objects.filter(request_id=request_id).exists()
    req, log = _take(
        actor=actor,
        request_id=request_id,
        revision=revision,
        late_reason=late_reason,
        name="receive",
        note=study_notes,
        record=None
        if received_before
        else lambda req, role: (
            Receipt,
            {
                "agenda_number": agenda_number,
                "received_date": received_date,
                "sifat": sifat,
                "study_notes": study_notes,
            },
        ),
    )
    _store_checklist(req, log, actor, checklist)
    return req


def _forward(
    *,
    name: str,
    to_role: Role,
    actor,
    request_id: int,
    revision: int | None,
    late_reason: str = "",
    instructions: list[str],
    note: str,
) -> ApplicationRequest:
    req, _log = _take(
        actor=actor,
        request_id=request_id,
        revision=revision,
        late_reason=late_reason,
        name=name,
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


@transaction.atomic
def request_forward_to_kabid(
    *,
    actor,
    request_id: int,
    revision: int | None,
    late_reason: str = "",
    instructions: list[str],
    note: str = "",
) -> ApplicationRequest:
    """Step 3 (procedure c): the Kasi forwards the proposal to the Kabid."""
    return _forward(
        name="forward_to_kabid",
        to_role=Role.KABID,
        actor=actor,
        request_id=request_id,
        revision=revision,
        late_reason=late_reason,
        instructions=instructions,
        note=note,
    )


@transaction.atomic
def request_forward_to_kadis(
    *,
    actor,
    request_id: int,
    revision: int | None,
    late_reason: str = "",
    instructions: list[str],
    note: str = "",
) -> ApplicationRequest:
    """Step 3 (procedure d): the Kabid conveys the proposal to the Kepala Dinas."""
    return _forward(
        name="forward_to_kadis",
        to_role=Role.KADIS,
        actor=actor,
        request_id=request_id,
        revision=revision,
        late_reason=late_reason,
        instructions=instructions,
        note=note,
    )


@transaction.atomic
def request_decide_needed(
    *, actor, request_id: int, revision: int | None, late_reason: str = "", reason: str, prakom
) -> ApplicationRequest:
    """Step 4, *perlu*: the build goes ahead with the chosen Prakom staff."""
    if prakom is None or Role.PRAKOM not in user_roles(prakom):
        raise ActionIncomplete(_("Pilih staf Pranata Komputer yang akan mengerjakan."))
    req, log = _take(
        actor=actor,
        request_id=request_id,
        revision=revision,
        late_reason=late_reason,
        name="decide_needed",
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


@transaction.atomic
def request_decide_not_needed(
    *, actor, request_id: int, revision: int | None, late_reason: str = "", reason: str
) -> ApplicationRequest:
    """Step 4, *tidak perlu*: the proposal ends as rejected, with the reason."""
    if not reason.strip():
        raise ActionIncomplete(_("Alasan penolakan wajib diisi."))
    req, _log = _take(
        actor=actor,
        request_id=request_id,
        revision=revision,
        late_reason=late_reason,
        name="decide_not_needed",
        note=reason,
        reason=reason,
        record=lambda req, role: (Decision, {"needed": False, "reason": reason}),
    )
    return req


@transaction.atomic
def request_finish_design(
    *, actor, request_id: int, revision: int | None, late_reason: str = "", summary: str
) -> ApplicationRequest:
    """Step 5: data structure, program flow and interface design are ready."""
    req, _log = _take(
        actor=actor,
        request_id=request_id,
        revision=revision,
        late_reason=late_reason,
        name="finish_design",
        note=summary,
        record=lambda req, role: (DesignRecord, {"summary": summary}),
    )
    return req


@transaction.atomic
def request_record_presentation(
    *,
    actor,
    request_id: int,
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
    meeting = _meeting_to_close(actor, request_id, MeetingKind.PRESENTATION)
    if meeting is not None:
        attendees = invited_people(meeting, attended) + list(attendees)
    req, _log = _take(
        actor=actor,
        request_id=request_id,
        revision=revision,
        late_reason=late_reason,
        name="record_presentation",
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
    _close_meeting(req, MeetingKind.PRESENTATION, attended)
    return req


def _review(
    *,
    name: str,
    outcome: str,
    actor,
    request_id: int,
    revision: int | None,
    late_reason: str = "",
    requested_changes: str,
    changes_made: str,
) -> ApplicationRequest:
    req, _log = _take(
        actor=actor,
        request_id=request_id,
        revision=revision,
        late_reason=late_reason,
        name=name,
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


@transaction.atomic
def request_accept_review(
    *,
    actor,
    request_id: int,
    revision: int | None,
    late_reason: str = "",
    requested_changes: str = "",
    changes_made: str = "",
) -> ApplicationRequest:
    """Step 7: the users accept the revised design; on to the manual and report.

    Nothing needs to have been asked or changed: the users may accept the design as shown.
    The requesting unit must have agreed to this round's design in the app.
    """
    current = ApplicationRequest.objects.filter(pk=request_id).first()
    waiting = current is not None and current.state == State.REVIEW
    if waiting and has_role(actor, Role.PRAKOM) and not unit_agreed(current):
        raise ActionIncomplete(
            _(
                "Perangkat Daerah belum menyetujui rancangan putaran ini. "
                "Mintalah persetujuan rancangan kepada Perangkat Daerah terlebih dahulu."
            )
        )
    return _review(
        name="accept_review",
        outcome=ReviewOutcome.ACCEPTED,
        actor=actor,
        request_id=request_id,
        revision=revision,
        late_reason=late_reason,
        requested_changes=requested_changes,
        changes_made=changes_made,
    )


@transaction.atomic
def request_request_another_round(
    *,
    actor,
    request_id: int,
    revision: int | None,
    late_reason: str = "",
    requested_changes: str,
    changes_made: str,
) -> ApplicationRequest:
    """Step 7: the users want to see the design again: back to step 6."""
    return _review(
        name="request_another_round",
        outcome=ReviewOutcome.ANOTHER_ROUND,
        actor=actor,
        request_id=request_id,
        revision=revision,
        late_reason=late_reason,
        requested_changes=requested_changes,
        changes_made=changes_made,
    )


@transaction.atomic
def request_submit_report(
    *,
    actor,
    request_id: int,
    revision: int | None,
    late_reason: str = "",
    summary: str,
    manual_version: str,
    application_url: str = "",
    release: dict | None = None,
) -> ApplicationRequest:
    """Step 8: the manual and the report go to the Kasi for checking.

    ``release`` records the application itself (address, test account note, repository and
    version, where deployed, UAT and security assessment documents) in the catalogue's
    record of the proposal; a repeated step 8 updates it.
    """
    if release is not None:
        application_url = release["url"]
    req, _log = _take(
        actor=actor,
        request_id=request_id,
        revision=revision,
        late_reason=late_reason,
        name="submit_report",
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
    if release is not None:
        try:
            release_record(proposal=req, actor=actor, **release)
        except ValidationError as exc:
            raise ActionIncomplete(" ".join(exc.messages)) from None
    return req


def _check(
    *,
    name: str,
    accepted: bool,
    actor,
    request_id: int,
    revision: int | None,
    late_reason: str = "",
    note: str,
) -> ApplicationRequest:
    if not accepted and not note.strip():
        raise ActionIncomplete(_("Catatan wajib diisi saat mengembalikan laporan."))

    def check_record(req: ApplicationRequest, role: Role):
        report = ReportRecord.objects.filter(request=req).order_by("-round").first()
        return Check, {"report": report, "role": role, "accepted": accepted, "note": note}

    req, _log = _take(
        actor=actor,
        request_id=request_id,
        revision=revision,
        late_reason=late_reason,
        name=name,
        note=note,
        record=check_record,
    )
    return req


def _check_service(name: str, accepted: bool, doc: str):
    @transaction.atomic
    def service(
        *, actor, request_id: int, revision: int | None, late_reason: str = "", note: str = ""
    ) -> ApplicationRequest:
        return _check(
            name=name,
            accepted=accepted,
            actor=actor,
            request_id=request_id,
            revision=revision,
            late_reason=late_reason,
            note=note,
        )

    service.__name__ = f"request_{name}"
    service.__doc__ = doc
    return service


request_kasi_accept = _check_service("kasi_accept", True, "Step 9: the Kasi accepts.")
request_kasi_return = _check_service("kasi_return", False, "Step 9: the Kasi returns.")
request_kabid_accept = _check_service("kabid_accept", True, "Step 10: the Kabid accepts.")
request_kabid_return = _check_service("kabid_return", False, "Step 10: the Kabid returns.")
request_kadis_accept = _check_service("kadis_accept", True, "Step 11: the Kadis accepts.")
request_kadis_return = _check_service("kadis_return", False, "Step 11: the Kadis returns.")


@transaction.atomic
def request_finish_socialisation(
    *,
    actor,
    request_id: int,
    revision: int | None,
    late_reason: str = "",
    held_on: datetime.date,
    place: str,
    participants: list[dict[str, str]],
    material: str,
    attended: list[int] | None = None,
    handover: dict | None = None,
) -> ApplicationRequest:
    """Step 12: the application was socialised to its users; the SOP ends.

    With ``handover`` the application is handed over to the unit (Berita Acara Serah
    Terima) and enters the application catalogue as active, linked to the proposal.
    """
    if handover is not None:
        receiver = handover.get("receiver")
        current = ApplicationRequest.objects.filter(pk=request_id).first()
        if receiver is None or current is None or receiver.unit_id != current.unit_id:
            raise ActionIncomplete(_("Pilih penerima dari Perangkat Daerah pemohon."))
    meeting = _meeting_to_close(actor, request_id, MeetingKind.SOCIALISATION)
    if meeting is not None:
        participants = invited_people(meeting, attended) + list(participants)
    req, log = _take(
        actor=actor,
        request_id=request_id,
        revision=revision,
        late_reason=late_reason,
        name="finish_socialisation",
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
    _close_meeting(req, MeetingKind.SOCIALISATION, attended)
    if handover is not None:
        _hand_over(req, log, actor, handover)
    return req


# Every transition and the service that takes it (names match the model's methods).
SERVICES = {
    "submit": request_submit,
    "receive": request_receive,
    "forward_to_kabid": request_forward_to_kabid,
    "forward_to_kadis": request_forward_to_kadis,
    "decide_needed": request_decide_needed,
    "decide_not_needed": request_decide_not_needed,
    "finish_design": request_finish_design,
    "record_presentation": request_record_presentation,
    "accept_review": request_accept_review,
    "request_another_round": request_request_another_round,
    "submit_report": request_submit_report,
    "kasi_accept": request_kasi_accept,
    "kasi_return": request_kasi_return,
    "kabid_accept": request_kabid_accept,
    "kabid_return": request_kabid_return,
    "kadis_accept": request_kadis_accept,
    "kadis_return": request_kadis_return,
    "finish_socialisation": request_finish_socialisation,
}


@transaction.atomic
def request_reassign_prakom(
    *, actor, request_id: int, revision: int | None, prakom, note: str = ""
) -> ApplicationRequest:
    """The Kasi hands the build to another Prakom (not a transition: the step goes on)."""
    if not has_role(actor, Role.KASI):
        raise ActionForbidden(_("Hanya Kasi yang dapat mengganti staf Prakom pelaksana."))
    req = _lock(request_id)
    if revision is not None and revision != req.revision:
        raise StaleAction(STALE_MESSAGE)
    if req.assigned_prakom_id is None or req.state in FINAL_STATES:
        raise StaleAction(_("Usulan ini tidak sedang dikerjakan staf Prakom."))
    if prakom is None or Role.PRAKOM not in own_roles(prakom):
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


# --- The office around the steps -----------------------------------------------------
# Returns to the unit for completion (steps 2–3), the unit's agreement to a design round
# (step 7), and the meetings with the unit's users (steps 6 and 12).

CHECKLIST_FIELDS = (
    "letter_signed",
    "tor_attached",
    "existing_app",
    "personal_data",
    "budget",
    "hosting",
    "note",
)


def _store_checklist(req: ApplicationRequest, log: TransitionLog, actor, checklist) -> None:
    if checklist:
        fields = {k: v for k, v in checklist.items() if k in CHECKLIST_FIELDS}
        StudyChecklist.objects.create(
            request=req, log=log, created_by=actor, created_at=log.created_at, **fields
        )


def _return_for_completion(
    *,
    name: str,
    to_unit: bool,
    actor,
    request_id: int,
    revision: int | None,
    late_reason: str,
    missing: str,
) -> tuple[ApplicationRequest, TransitionLog]:
    if not missing.strip():
        raise ActionIncomplete(_("Sebutkan apa yang perlu dilengkapi."))
    rounds = CompletionRequest.objects.filter(request_id=request_id).count()
    return _take(
        actor=actor,
        request_id=request_id,
        revision=revision,
        late_reason=late_reason,
        name=name,
        note=missing,
        record=lambda req, role: (
            CompletionRequest,
            {"round": rounds + 1, "to_unit": to_unit, "missing": missing},
        ),
    )


@transaction.atomic
def request_kasi_return_to_unit(
    *,
    actor,
    request_id: int,
    revision: int | None,
    late_reason: str = "",
    missing: str,
    checklist: dict | None = None,
) -> ApplicationRequest:
    """Step 2 (or 3): the Kasi returns the proposal to its unit to be completed."""
    req, log = _return_for_completion(
        name="kasi_return_to_unit",
        to_unit=True,
        actor=actor,
        request_id=request_id,
        revision=revision,
        late_reason=late_reason,
        missing=missing,
    )
    _store_checklist(req, log, actor, checklist)
    return req


@transaction.atomic
def request_kabid_return_to_kasi(
    *, actor, request_id: int, revision: int | None, late_reason: str = "", missing: str
) -> ApplicationRequest:
    """Step 3: the Kabid sends the proposal back to the Kasi with what is missing."""
    req, _log = _return_for_completion(
        name="kabid_return_to_kasi",
        to_unit=False,
        actor=actor,
        request_id=request_id,
        revision=revision,
        late_reason=late_reason,
        missing=missing,
    )
    return req


@transaction.atomic
def request_kabid_return_to_unit(
    *, actor, request_id: int, revision: int | None, late_reason: str = "", missing: str
) -> ApplicationRequest:
    """Step 3: the Kabid returns the proposal to its unit to be completed."""
    req, _log = _return_for_completion(
        name="kabid_return_to_unit",
        to_unit=True,
        actor=actor,
        request_id=request_id,
        revision=revision,
        late_reason=late_reason,
        missing=missing,
    )
    return req


@transaction.atomic
def request_resubmit(
    *, actor, request_id: int, revision: int | None, late_reason: str = "", completion_note: str
) -> ApplicationRequest:
    """The unit sends its completed proposal back to the Kasi (step 2 begins again)."""
    if not completion_note.strip():
        raise ActionIncomplete(_("Jelaskan apa yang telah dilengkapi."))
    req, _log = _take(
        actor=actor,
        request_id=request_id,
        revision=revision,
        late_reason=late_reason,
        name="resubmit",
        note=completion_note,
    )
    return req


@transaction.atomic
def request_request_agreement(
    *, actor, request_id: int, revision: int | None, late_reason: str = "", note: str = ""
) -> ApplicationRequest:
    """Step 7: Prakom asks the unit to state its agreement to this round's design."""
    req, _log = _take(
        actor=actor,
        request_id=request_id,
        revision=revision,
        late_reason=late_reason,
        name="request_agreement",
        note=note,
    )
    return req


def _unit_answer(
    *,
    name: str,
    agreed: bool,
    actor,
    request_id: int,
    revision: int | None,
    late_reason: str,
    points: str,
) -> ApplicationRequest:
    req, _log = _take(
        actor=actor,
        request_id=request_id,
        revision=revision,
        late_reason=late_reason,
        name=name,
        note=points,
        record=lambda req, role: (
            UnitAgreement,
            {"round": req.presentation_rounds, "agreed": agreed, "points": points, "role": role},
        ),
    )
    return req


@transaction.atomic
def request_unit_agree(
    *, actor, request_id: int, revision: int | None, late_reason: str = "", points: str = ""
) -> ApplicationRequest:
    """Step 7: the requesting unit agrees to the design (*rancangan disetujui*)."""
    return _unit_answer(
        name="unit_agree",
        agreed=True,
        actor=actor,
        request_id=request_id,
        revision=revision,
        late_reason=late_reason,
        points=points,
    )


@transaction.atomic
def request_unit_request_changes(
    *, actor, request_id: int, revision: int | None, late_reason: str = "", points: str
) -> ApplicationRequest:
    """Step 7: the requesting unit asks for changes (*perlu perbaikan*) with its points."""
    if not points.strip():
        raise ActionIncomplete(_("Sebutkan hal yang perlu diperbaiki."))
    return _unit_answer(
        name="unit_request_changes",
        agreed=False,
        actor=actor,
        request_id=request_id,
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


def pending_meeting(req: ApplicationRequest | int, kind: str) -> Meeting | None:
    """The scheduled, not yet held meeting of the step the proposal stands in."""
    request_id = req if isinstance(req, int) else req.pk
    return (
        Meeting.objects.filter(request_id=request_id, kind=kind, held=False)
        .order_by("-created_at", "-pk")
        .first()
    )


MEETING_STATES = {
    MeetingKind.PRESENTATION: State.PRESENTATION,
    MeetingKind.SOCIALISATION: State.SOCIALISATION,
}


@transaction.atomic
def meeting_schedule(
    *,
    actor,
    request_id: int,
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
    rescheduled meeting keeps the confirmations of the people still invited.
    """
    req = _lock(request_id)
    if req.state != MEETING_STATES.get(kind):
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
    return meeting


@transaction.atomic
def invitation_confirm(*, actor, invitation_id: int) -> Invitation:
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


def _meeting_to_close(actor, request_id: int, kind: str) -> Meeting | None:
    """The meeting a recording closes; refused when none was scheduled.

    Only checked while the proposal stands in the meeting's step: elsewhere the transition
    itself refuses, with its own message.
    """
    current = ApplicationRequest.objects.filter(pk=request_id).values_list("state", flat=True)
    if not has_role(actor, Role.PRAKOM) or current.first() != MEETING_STATES[kind]:
        return None
    meeting = pending_meeting(request_id, kind)
    if meeting is None:
        raise ActionIncomplete(
            _("Jadwalkan dahulu pertemuan ini dan undang pengguna dari Perangkat Daerah.")
        )
    return meeting


def _close_meeting(req: ApplicationRequest, kind: str, attended: list[int] | None) -> Meeting:
    meeting = pending_meeting(req, kind)
    if meeting is None:
        raise ActionIncomplete(
            _("Jadwalkan dahulu pertemuan ini dan undang pengguna dari Perangkat Daerah.")
        )
    came = {int(pk) for pk in attended or ()}
    for invitation in meeting.invitations.all():
        invitation.attended = invitation.user_id in came
        invitation.save(update_fields=["attended"])
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


SERVICES.update(
    {
        "kasi_return_to_unit": request_kasi_return_to_unit,
        "kabid_return_to_kasi": request_kabid_return_to_kasi,
        "kabid_return_to_unit": request_kabid_return_to_unit,
        "resubmit": request_resubmit,
        "request_agreement": request_request_agreement,
        "unit_agree": request_unit_agree,
        "unit_request_changes": request_unit_request_changes,
    }
)


HANDOVER_FIELDS = ("address", "source", "documentation", "admin_accounts_separately", "note")


def _hand_over(req: ApplicationRequest, log: TransitionLog, actor, handover: dict) -> Handover:
    """The handover record, and the application's entry in the catalogue (active)."""
    release = Release.objects.filter(proposal=req).first()
    application = (
        application_from_release(release=release, actor=actor) if release is not None else None
    )
    return Handover.objects.create(
        request=req,
        log=log,
        receiver=handover["receiver"],
        application=application,
        created_by=actor,
        created_at=log.created_at,
        **{k: v for k, v in handover.items() if k in HANDOVER_FIELDS},
    )


@transaction.atomic
def request_decide_use_existing(
    *, actor, request_id: int, revision: int | None, late_reason: str = "", reason: str, application
) -> ApplicationRequest:
    """Step 4, *gunakan aplikasi yang ada*: not built; an application in the catalogue (one
    of the unit's own or an Aplikasi Umum) serves. Ends the proposal like *tidak perlu*."""
    if application is None or application.status == ApplicationStatus.RETIRED:
        raise ActionIncomplete(_("Pilih aplikasi dari katalog yang masih digunakan."))
    if not reason.strip():
        raise ActionIncomplete(_("Alasan wajib diisi."))
    req, log = _take(
        actor=actor,
        request_id=request_id,
        revision=revision,
        late_reason=late_reason,
        name="decide_use_existing",
        note=reason,
        reason=reason,
        record=lambda req, role: (Decision, {"needed": False, "reason": reason}),
    )
    ApplicationReuse.objects.create(
        request=req, log=log, application=application, created_by=actor, created_at=log.created_at
    )
    return req


SERVICES["decide_use_existing"] = request_decide_use_existing
