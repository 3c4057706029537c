"""What every transition's service shares: lock, refuse stale forms, check, apply, log.

``_take`` is the one place a transition is applied; the services of
``workflow.services`` call it with what their step records.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import ConcurrentTransition, can_proceed, has_transition_perm

from reports.checkpoints import transition_committed
from requests_intake.models import ApplicationRequest, Attachment, AttachmentKind
from workflow import transitions
from workflow.audit import append_log
from workflow.errors import ActionForbidden, ActionIncomplete, AlreadyTaken, StaleAction
from workflow.models import StepRecord, TransitionLog, User
from workflow.notifications import notify_transition
from workflow.roles import acting_assignments, forget_roles, has_role, own_roles
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
    late_reason: str = "",
    record: RecordOf | None = None,
    **kwargs: Any,
) -> tuple[ApplicationRequest, TransitionLog]:
    """Lock, check and apply ``transition``; write its log row and the step's record.

    ``kwargs`` go to the state machine's method; ``record(req, role)`` gives the step
    record's model and fields once the transition is applied (the log row's hash covers
    it: workflow.audit). ``late_reason`` is why the step finishes after its due date,
    kept in the log and printed in the rekam jejak.
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
        late_reason=late_reason.strip(),
        created_at=now,
    )
    transition_committed(log)  # the checkpoint's documents, rendered after commit
    notify_transition(req, log)  # in-app now; e-mails after commit
    return req, log
