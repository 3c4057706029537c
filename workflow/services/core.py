"""What every transition's service shares: lock, refuse stale forms, check, apply, log.

``_take`` is the one place a transition is applied; the services of
``workflow.services`` call it with what their step records.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import ConcurrentTransition, can_proceed, has_transition_perm

from reports.checkpoints import transition_taken
from requests_intake.models import ApplicationRequest, Attachment, AttachmentKind
from workflow import transitions
from workflow.audit import seal, write_sealed
from workflow.errors import ActionForbidden, ActionIncomplete, AlreadyTaken, StaleAction
from workflow.models import StepRecord, TransitionLog, User
from workflow.notifications import notify_transition
from workflow.roles import (
    HOLDS_ROLE_COLUMNS,
    acting_assignments,
    forget_roles,
    has_role,
    holding_params,
    own_roles,
    remember_holding,
)
from workflow.sla import StepVisits, local_date
from workflow.states import FINAL_STATES, Role, State, step_number
from workflow.transitions import Transition
from workflow.workdays import WorkCalendar

STALE_MESSAGE = gettext_lazy(
    "Usulan ini sudah diproses orang lain atau halaman Anda sudah usang. "
    "Tidak ada yang diubah; silakan periksa status terbarunya."
)

# What a step records once its transition is applied: the record's model and fields.
RecordOf = Callable[[ApplicationRequest, Role], tuple[type[StepRecord], dict[str, Any]]]


# The proposal's stored fields; a transition saves only those it changed.
_PROPOSAL_FIELDS = [
    f
    for f in ApplicationRequest._meta.concrete_fields
    if not f.primary_key and f.name != "updated_at"
]


def transition_role(name: str) -> Role:
    """The SOP role that takes transition ``name``."""
    return transitions.TRANSITIONS[name].role


# The proposal row, locked, and its open step visit: one statement on the path every
# transition takes (the ORM's five subqueries for the same cost 2 ms of CPU to compile).
_LOCK_COLUMNS = (
    'p.*, v."id" AS open_visit_id, v."step" AS open_visit_step, '
    'v."entered_at" AS open_visit_entered_at, v."due_date" AS open_visit_due_date, '
    'v."calendar_days" AS open_visit_calendar_days'
)
_LOCK_FROM = (
    'FROM "requests_intake_applicationrequest" p '
    'LEFT JOIN "workflow_stepvisit" v ON v."request_id" = p."id" AND v."finished_at" IS NULL '
    'WHERE p."id" = %s'
)


def _lock(proposal_id: int, holder: tuple[User, str] | None = None) -> ApplicationRequest:
    """The proposal, locked (``SELECT … FOR UPDATE`` where the engine has row locks), with
    its open step visit as ``open_visit_*`` attributes; with ``holder`` (a person and a
    role), whether they hold the role today as ``holds_own_role`` and ``holds_acting_id``."""
    columns, params = [_LOCK_COLUMNS], [proposal_id]
    if holder is not None:
        columns.append(HOLDS_ROLE_COLUMNS)
        params = [*holding_params(*holder), proposal_id]
    parts = ["SELECT", ", ".join(columns), _LOCK_FROM]
    if connection.features.has_select_for_update:
        parts.append("FOR UPDATE OF p")
    sql = " ".join(parts)
    found = list(ApplicationRequest.objects.raw(sql, params))
    if not found:
        raise StaleAction(_("Usulan tidak ditemukan."))
    proposal = found[0]
    entered = proposal.open_visit_entered_at
    if isinstance(entered, datetime.datetime) and timezone.is_naive(entered):
        proposal.open_visit_entered_at = entered.replace(tzinfo=datetime.UTC)  # SQLite
    proposal.open_visit_calendar_days = bool(proposal.open_visit_calendar_days)
    return proposal


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


def _attachments(
    req: ApplicationRequest, transition: Transition
) -> tuple[list[str], list[list[Any]]]:
    """What the step still misses of its required documents, and the attachments the log
    row seals (those above the proposal's sealed mark), in one query; none when the step
    requires nothing and no attachment came since the last row."""
    required = transition.required_kinds
    if not required and req.last_attachment_id <= req.log_attachments_through:
        return [], []
    rows = (
        Attachment.objects.filter(request_id=req.pk)
        .filter(Q(pk__gt=req.log_attachments_through) | Q(kind__in=required))
        .order_by("pk")
        .values_list("pk", "kind", "sha256")
    )
    present: set[str] = set()
    sealed: list[list[Any]] = []
    for pk, kind, digest in rows:
        present.add(kind)
        if pk > req.log_attachments_through:
            sealed.append([pk, digest])
    labels = dict(AttachmentKind.choices)
    return [str(labels[k]) for k in required if k not in present], sealed


def _take(
    transition: Transition,
    *,
    actor: User,
    proposal_id: int,
    revision: int | None,
    note: str = "",
    late_reason: str = "",
    record: RecordOf | None = None,
    also: Callable[[ApplicationRequest, TransitionLog], object] | None = None,
    locked: ApplicationRequest | None = None,
    **kwargs: Any,
) -> tuple[ApplicationRequest, TransitionLog]:
    """Lock, check and apply ``transition``; write its log row and the step's record.

    ``kwargs`` go to the state machine's method; ``record(req, role)`` gives the step
    record's model and fields once the transition is applied (the log row's hash covers
    it: workflow.audit). ``late_reason`` is why the step finishes after its due date,
    kept in the log and printed in the rekam jejak. ``locked``: the proposal as the caller
    already locked it in this transaction (``_lock``), not read again. ``also(req, log)``
    writes what else the step records on its log row (a meeting closed, a handover),
    before the checkpoint's documents are issued.
    """
    name = transition.name
    role = transition.role
    if locked is None:
        forget_roles(actor)  # acting periods end at midnight: never trust a memo here
        req = _lock(proposal_id, holder=(actor, role))  # the role read with the lock
        own = bool(req.holds_own_role)  # type: ignore[attr-defined]  # read by _lock
        acting_id = req.holds_acting_id  # type: ignore[attr-defined]
        remember_holding(actor, role, own=own, acting_id=acting_id)
    else:  # the caller read the roles when it locked the proposal
        req = locked
        own = role in own_roles(actor)
        acting = None if own else acting_assignments(actor).get(role)
        acting_id = acting.pk if acting is not None else None
    if not has_role(actor, role):
        raise ActionForbidden(_("Peran Anda tidak berwenang mengambil tindakan ini."))
    method = getattr(req, name)
    if (revision is not None and revision != req.revision) or not can_proceed(method):
        raise _refusal(req, actor, name, revision)
    if not has_transition_perm(method, actor):
        raise ActionForbidden(_("Anda tidak berwenang mengambil tindakan ini pada usulan ini."))
    missing, sealed = _attachments(req, transition)
    if missing:
        raise ActionIncomplete(
            _("Tahap ini belum dapat diselesaikan. Unggah dahulu: %(docs)s.")
            % {"docs": ", ".join(missing)}
        )
    from_state = req.state
    before = {f.attname: getattr(req, f.attname) for f in _PROPOSAL_FIELDS}
    method(**kwargs)
    now = timezone.now()
    req.revision += 1
    req.state_entered_at = now
    calendar = WorkCalendar.load()
    old_step, new_step = step_number(from_state), step_number(req.state)
    visits = StepVisits(req, now, calendar)
    if new_step != old_step:
        req.due_date = None
        if from_state == State.DRAFT:
            visits.submitted()
        else:
            visits.close_open()
        if new_step is not None:
            visits.open(new_step)
    if req.state in FINAL_STATES and req.submitted_at is not None:
        req.total_working_days = calendar.working_days_between(
            local_date(req.submitted_at), local_date(now)
        )
    step_record = None
    if record is not None:
        model, fields = record(req, role)
        fields = {"request": req, "created_by": actor, "created_at": now, **fields}
        step_record = (model, fields)
    log, pending = seal(  # chained to the previous row: tamper-evident (workflow.audit)
        req,
        attachments=sealed,
        record=step_record,
        transition=name,
        from_state=from_state,
        to_state=req.state,
        actor=actor,
        role=role,
        acting_id=None if own else acting_id,
        note=note,
        late_reason=late_reason.strip(),
        created_at=now,
    )
    changed = [f.name for f in _PROPOSAL_FIELDS if getattr(req, f.attname) != before[f.attname]]
    try:
        req.save(update_fields=[*changed, "updated_at"])
    except ConcurrentTransition:
        raise StaleAction(STALE_MESSAGE) from None
    visits.save()
    write_sealed(log, pending)
    if also is not None:
        also(req, log)
    transition_taken(log, pending)  # the checkpoint's documents, numbered in this transaction
    notify_transition(req, log)  # in-app now; e-mails after commit
    return req, log
