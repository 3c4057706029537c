"""A transition through the real services against its floor, one transition at a time.

The floor is what any transition must do: in one transaction, one ``UPDATE`` of the proposal
(state, revision, time) and one ``INSERT`` of its log row. Each round takes one proposal
through the transitions of the happy path with the services and another with the floor,
alternating transition by transition. Documents the steps require are uploaded beforehand
and the meetings the steps close are scheduled (each a person's own action, not the step's),
untimed; documents the steps issue are queued, not rendered (the dummy task backend).

Reported per transition: wall time, CPU time of this process (on PostgreSQL the server's own
CPU is not in it), SQL statements and commits. Statements and commits are counted on one
extra proposal walked before the timed rounds, so counting costs nothing in the timings;
one more is walked before it, so the one-minute master-data cache (step standards, number
settings, calendar) is warm as in a running office.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.apps import apps
from django.db import connection, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from requests_intake.services import attachment_add
from tools.bench import data
from tools.bench.report import Row, spread
from workflow import demo
from workflow.states import State
from workflow.transitions import TRANSITIONS

CPU_GOAL = 3.0
STATEMENT_GOAL = 10


def _drafts(count: int, actors: dict) -> list:
    drafts = []
    for index in range(count):
        proposal = demo.create_draft(actors, app_name=f"Transisi {index}")
        with transaction.atomic():
            for name in demo.HAPPY_PATH:
                for kind in TRANSITIONS[name].required_kinds:
                    attachment_add(
                        actor=actors["prakom"],
                        req=proposal,
                        kind=kind,
                        upload=demo.sample_upload(kind),
                    )
        drafts.append(proposal)
    return drafts


class _Floor:
    """One proposal taken through the happy path by bare writes."""

    def __init__(self, proposal, actor):
        self.pk, self.actor, self.state, self.seq = proposal.pk, actor, State.DRAFT, 0

    def prepare(self, name: str) -> None:
        pass

    def take(self, name: str) -> None:
        TransitionLog = apps.get_model("workflow", "TransitionLog")
        target = data.TARGET[name]
        extra = {"registration_number": f"PF-{self.pk}"} if name == "submit" else {}
        self.seq += 1
        with transaction.atomic():
            data.proposal_model().objects.filter(pk=self.pk).update(
                state=target, revision=F("revision") + 1, state_entered_at=timezone.now(), **extra
            )
            TransitionLog.objects.create(
                request_id=self.pk,
                transition=name,
                from_state=self.state,
                to_state=target,
                actor=self.actor,
                role=data.TRANSITION_ROLE[name],
                seq=self.seq,
            )
        self.state = target


class _Services:
    """One proposal taken through the happy path by the services, as the pages call them.

    What people do beside a transition (scheduling the meeting a step closes) is done in
    ``prepare``, untimed and uncounted, as the uploads are."""

    def __init__(self, proposal, actors):
        self.proposal, self.actors = proposal, actors

    def prepare(self, name: str) -> None:
        if name in demo.MEETING_OF:
            actor = demo.transition_actor(self.proposal, self.actors)
            demo.schedule_if_needed(self.proposal, demo.MEETING_OF[name], actor, self.actors)

    def take(self, name: str) -> None:
        self.proposal = TRANSITIONS[name].service(
            actor=demo.transition_actor(self.proposal, self.actors),
            proposal_id=self.proposal.pk,
            revision=self.proposal.revision,
            **demo.default_kwargs(name, self.actors),
        )


def _count(walker, names) -> tuple[float, float, float]:
    """Statements, savepoint statements and commits per transition, one walk."""
    commits = 0
    counting = False
    original = connection._commit

    def counting_commit():
        nonlocal commits
        commits += counting
        return original()

    connection._commit = counting_commit
    captured_queries = []
    try:
        for name in names:
            walker.prepare(name)
            counting = True
            with CaptureQueriesContext(connection) as captured:
                walker.take(name)
            counting = False
            captured_queries.extend(captured.captured_queries)
    finally:
        del connection._commit
    savepoints = statements = 0
    for query in captured_queries:
        text = query["sql"].upper()
        if text.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
            savepoints += 1
        elif not text.startswith(("BEGIN", "COMMIT", "ROLLBACK")):  # SQLite logs these
            statements += 1
    return statements / len(names), savepoints / len(names), commits / len(names)


def _timed(fn: Callable[[], None]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def measure(*, rounds: int, write=print) -> list[Row]:
    people = data.people()
    actors = {role: people[role] for role in data.ROLES}
    names = demo.HAPPY_PATH
    services_drafts = _drafts(rounds + 2, actors)
    floor_drafts = [demo.create_draft(actors, app_name=f"Lantai {i}") for i in range(rounds + 1)]
    warm = _Services(services_drafts.pop(), actors)  # the master-data cache, as it runs
    for name in names:
        warm.prepare(name)
        warm.take(name)
    statements, savepoints, commits = _count(_Services(services_drafts.pop(), actors), names)
    floor_statements, _, floor_commits = _count(_Floor(floor_drafts.pop(), people["kasi"]), names)

    wall = {"services": [], "floor": []}
    cpu = {"services": [], "floor": []}
    for number in range(rounds):
        walkers = {
            "services": _Services(services_drafts[number], actors),
            "floor": _Floor(floor_drafts[number], people["kasi"]),
        }
        order = ("services", "floor") if number % 2 == 0 else ("floor", "services")
        totals = {side: [0.0, 0.0] for side in walkers}
        for name in names:
            for side in order:
                walkers[side].prepare(name)
                seconds, processor = _timed(lambda w=walkers[side], n=name: w.take(n))
                totals[side][0] += seconds
                totals[side][1] += processor
        for side, (seconds, processor) in totals.items():
            wall[side].append(seconds / len(names))
            cpu[side].append(processor / len(names))
        write(f"  proposal {number + 1}/{rounds} through {len(names)} transitions")

    cpu_ratio = spread(cpu["services"])["median"] / spread(cpu["floor"])["median"]
    wall_ratio = spread(wall["services"])["median"] / spread(wall["floor"])["median"]
    per = f"per transition, {rounds} proposals × {len(names)} transitions"
    return [
        Row(
            row="a transition vs the floor, CPU time of this process",
            value=cpu_ratio,
            goal=f"≤ {CPU_GOAL:g}×",
            passed=cpu_ratio <= CPU_GOAL,
            queries=f"{statements:.1f} vs {floor_statements:.1f}",
            base=spread(cpu["floor"]),
            compared=spread(cpu["services"]),
            note=f"{per}; base = floor (1 UPDATE + 1 INSERT, one transaction)",
        ),
        Row(
            row="a transition vs the floor, wall time",
            value=wall_ratio,
            queries=f"{statements:.1f} vs {floor_statements:.1f}",
            base=spread(wall["floor"]),
            compared=spread(wall["services"]),
            note=per + ("; mostly the commits' fsync" if connection.vendor == "sqlite" else ""),
        ),
        Row(
            row="SQL statements per transition",
            value=statements,
            unit="statements",
            goal=f"≤ {STATEMENT_GOAL}",
            passed=statements <= STATEMENT_GOAL,
            note=f"floor {floor_statements:.1f}; besides these, {savepoints:.1f} savepoint "
            "statements; BEGIN/COMMIT not counted",
        ),
        Row(
            row="commits per transition",
            value=commits,
            unit="commits",
            goal="1",
            passed=commits <= 1,
            note=f"floor {floor_commits:.1f}",
        ),
    ]
