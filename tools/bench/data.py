"""The bench's data: proposals with the shape the services produce, written in bulk.

100,000 proposals through the services would take hours, so rows are written in bulk
(proposals with ``bulk_create``, their log rows and step visits with ``executemany``); each
proposal's log rows follow the SOP up to its state, with step visits and due dates. The
first ``small`` proposals are the last twelve months (some still running); the rest are older
years, all finished — how an office's data grows. Both databases get the same first ``small``
proposals, people and units, so a page compares like with like.

Log rows are chained (each holds the previous row's hash) but hashed over a short stand-in,
not the audit's canonical form: ``verify_audit`` would report them, the pages never read them.

Search terms need known matches: application names end in a six-digit number (one name per
proposal), and one unit (``RARE_UNIT``) holds exactly one proposal (number ``RARE``).
"""

from __future__ import annotations

import datetime
import hashlib
import random

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone

from workflow import demo
from workflow.audit import GENESIS
from workflow.sla import SOP_STANDARDS
from workflow.states import STEP_OF_STATE, Role, State

UNITS = 30
RARE = 502  # the proposal number the rare search terms find
RARE_UNIT = "Badan Riset Tunggal"
KINDS = ("Data", "Layanan", "Arsip", "Aset")
ROLES = ("pemohon", "kasi", "kabid", "kadis", "prakom")

TRANSITION_ROLE = {
    "submit": Role.PEMOHON,
    "receive": Role.KASI,
    "forward_to_kabid": Role.KASI,
    "forward_to_kadis": Role.KABID,
    "decide_needed": Role.KADIS,
    "decide_not_needed": Role.KADIS,
    "finish_design": Role.PRAKOM,
    "record_presentation": Role.PRAKOM,
    "request_agreement": Role.PRAKOM,
    "unit_agree": Role.PEMOHON,
    "accept_review": Role.PRAKOM,
    "submit_report": Role.PRAKOM,
    "kasi_accept": Role.KASI,
    "kabid_accept": Role.KABID,
    "kadis_accept": Role.KADIS,
    "finish_socialisation": Role.PRAKOM,
}
TARGET = {
    "submit": State.RECEIVE,
    "receive": State.KASI_FORWARD,
    "forward_to_kabid": State.KABID_FORWARD,
    "forward_to_kadis": State.DECISION,
    "decide_needed": State.DESIGN,
    "decide_not_needed": State.REJECTED,
    "finish_design": State.PRESENTATION,
    "record_presentation": State.REVIEW,
    "request_agreement": State.UNIT_AGREEMENT,
    "unit_agree": State.REVIEW,
    "accept_review": State.REPORT,
    "submit_report": State.KASI_CHECK,
    "kasi_accept": State.KABID_CHECK,
    "kabid_accept": State.KADIS_CHECK,
    "kadis_accept": State.SOCIALISATION,
    "finish_socialisation": State.COMPLETED,
}


def proposal_model():
    return apps.get_model("requests_intake", "ApplicationRequest")


def unit_model():
    return apps.get_model("requests_intake", "PerangkatDaerah")


def registration_number(number: int) -> str:
    return f"PB-{timezone.now().year}-{number:06d}"


def app_name(number: int) -> str:
    return f"Sistem Informasi {KINDS[number % len(KINDS)]} {number:06d}"


def units() -> list:
    Unit = unit_model()
    existing = list(Unit.objects.exclude(name=RARE_UNIT).order_by("pk"))
    for index in range(len(existing), UNITS):
        existing.append(
            Unit.objects.create(
                code=f"U{index:03d}", name=f"Dinas Bench {index}", short_name=f"DB{index}"
            )
        )
    return existing


def rare_unit():
    unit, _ = unit_model().objects.get_or_create(
        name=RARE_UNIT, defaults={"code": "URARE", "short_name": "BRT"}
    )
    return unit


def people() -> dict:
    User = get_user_model()
    found = {}
    unit = units()[0]
    for role in (*ROLES, "admin"):
        user, created = User.objects.get_or_create(
            username=f"bench-{role}",
            defaults={
                "first_name": role.title(),
                "email": f"{role}@bench.invalid",
                "unit": unit if role == "pemohon" else None,
                "is_staff": role == "admin",
                "is_superuser": role == "admin",
            },
        )
        if created:
            user.set_unusable_password()
            user.save()
            user.groups.add(Group.objects.get(name=role))
        found[role] = user
    return found


def _path_for(rng: random.Random, *, finished: bool) -> tuple[str, ...]:
    roll = rng.random()
    if roll < 0.85 or (finished and roll >= 0.95):
        return demo.HAPPY_PATH[1:]
    if roll < 0.95:
        return demo.path_to(State.REJECTED)[1:]
    return demo.HAPPY_PATH[1 : rng.randint(1, 12)]


class _Rows:
    """Rows of one workflow model written by ``executemany``: 1.3 million log rows through
    model instances and ``bulk_create`` would take half an hour. Columns not given get the
    field's default, prepared once."""

    def __init__(self, model_name: str):
        model = apps.get_model("workflow", model_name)
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.defaults = {
            f.attname: f.get_db_prep_save(f.get_default(), connection) for f in self.fields
        }
        quote = connection.ops.quote_name
        self.sql = (
            f"INSERT INTO {quote(model._meta.db_table)} "  # noqa: S608 (names from the model)
            f"({', '.join(quote(f.column) for f in self.fields)}) "
            f"VALUES ({', '.join(['%s'] * len(self.fields))})"
        )
        self.rows: list[tuple] = []

    def add(self, **values) -> None:
        ops = connection.ops
        row = []
        for field in self.fields:
            if field.attname not in values:
                row.append(self.defaults[field.attname])
                continue
            value = values[field.attname]
            if isinstance(value, datetime.datetime):
                value = ops.adapt_datetimefield_value(value)
            elif isinstance(value, datetime.date):
                value = ops.adapt_datefield_value(value)
            row.append(value)
        self.rows.append(tuple(row))

    def flush(self) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(self.sql, self.rows)
        self.rows = []


def build(count: int, *, start: int = 0, seed: int = 7, history: bool = False) -> None:
    """Add ``count`` submitted proposals, numbered from ``start + 1``, with logs and visits."""
    Proposal = proposal_model()
    logs, visits = _Rows("TransitionLog"), _Rows("StepVisit")
    rng = random.Random(seed + start)  # noqa: S311 - repeatable benchmark data
    unit_list = units()
    rare = rare_unit()
    actor_of = {role: user.pk for role, user in people().items()}
    now = timezone.now()
    batch = 2000
    for offset in range(0, count, batch):
        size = min(batch, count - offset)
        plans = []
        proposals = []
        for i in range(size):
            number = start + offset + i + 1
            days = rng.randint(400, 4000) if history else rng.randint(1, 360)
            created = now - datetime.timedelta(days=days, minutes=number % 977)
            path = ("submit", *_path_for(rng, finished=history))
            state = TARGET[path[-1]]
            ended = state in (State.COMPLETED, State.REJECTED)
            plans.append((created, path))
            proposals.append(
                Proposal(
                    registration_number=registration_number(number),
                    unit=rare if number == RARE else unit_list[number % len(unit_list)],
                    created_by_id=actor_of["pemohon"],
                    submitted_by_id=actor_of["pemohon"],
                    created_at=created,
                    submitted_at=created + datetime.timedelta(hours=2),
                    letter_number=f"027/{number}/BENCH",
                    letter_date=created.date(),
                    app_name=app_name(number),
                    background="Latar belakang.",
                    objectives="Tujuan.",
                    business_processes="Proses.",
                    intended_users="Staf.",
                    user_count=10,
                    data_description="Data.",
                    contact_name="Narahubung",
                    contact_position="Staf",
                    contact_phone="0812",
                    contact_email="n@bench.invalid",
                    state=state,
                    revision=len(path),
                    state_entered_at=created + datetime.timedelta(days=len(path)),
                    assigned_prakom_id=actor_of["prakom"] if "decide_needed" in path else None,
                    decision_needed=(
                        True
                        if "decide_needed" in path
                        else False
                        if "decide_not_needed" in path
                        else None
                    ),
                    presentation_rounds=1 if "record_presentation" in path else 0,
                    report_rounds=1 if "submit_report" in path else 0,
                    due_date=None
                    if ended
                    else (created + datetime.timedelta(days=len(path) + 3)).date(),
                    completed_at=created + datetime.timedelta(days=len(path)) if ended else None,
                    total_working_days=len(path) if ended else None,
                )
            )
        with transaction.atomic():
            Proposal.objects.bulk_create(proposals, batch_size=500)
            for proposal, (created, path) in zip(proposals, plans, strict=True):
                _history(proposal.pk, created, path, rng, actor_of, logs, visits)
            logs.flush()
            visits.flush()


def _history(pk, created, path, rng, actor_of, logs: _Rows, visits: _Rows) -> None:
    previous, moment, state = GENESIS, created + datetime.timedelta(hours=2), State.DRAFT
    visits.add(
        request_id=pk,
        step=1,
        entered_at=created,
        due_date=created.date() + datetime.timedelta(days=1),
        standard_amount=1,
        finished_at=moment,
        taken=0,
        on_time=True,
    )
    for seq, name in enumerate(path, start=1):
        target = TARGET[name]
        role = TRANSITION_ROLE[name]
        digest = hashlib.sha256(f"{previous}|{pk}|{seq}|{name}|{moment}".encode()).hexdigest()
        logs.add(
            request_id=pk,
            transition=name,
            from_state=state,
            to_state=target,
            actor_id=actor_of[role],
            role=role,
            created_at=moment,
            seq=seq,
            prev_hash=previous,
            hash=digest,
        )
        previous = digest
        old_step, new_step = STEP_OF_STATE.get(state), STEP_OF_STATE.get(target)
        state = target
        if new_step and new_step != old_step:
            taken = rng.choice([0, 1, 1, 2, 3, 5, 8])
            finished = moment + datetime.timedelta(days=taken)
            standard, unit_of = SOP_STANDARDS[new_step][:2]
            amount = standard * {"working_days": 1, "weeks": 5, "months": 20}[unit_of]
            is_last = seq == len(path)
            visits.add(
                request_id=pk,
                step=new_step,
                entered_at=moment,
                due_date=(moment + datetime.timedelta(days=amount)).date(),
                standard_amount=amount,
                finished_at=None if is_last else finished,
                taken=None if is_last else taken,
                on_time=None if is_last else taken <= amount,
            )
            moment = finished
        moment += datetime.timedelta(hours=3)
