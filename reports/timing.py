"""The *mutu baku* table of a rekam jejak: per SOP step, when it began and ended and how
long it took, beside its time standard.

Entered/finished moments and calendar time come from the TransitionLog (the record of
truth for what happened); the standard and the working days taken come from
``workflow.sla`` (admin-editable standards, working-day calendar).
"""

import datetime
from dataclasses import dataclass, field

from reports.formatting import durasi
from workflow import sla
from workflow.models import TransitionLog
from workflow.states import ACTOR_OF_STATE, STEPS, State, step_number


@dataclass
class StepRow:
    number: int
    activity: str
    actor: str
    standard: str
    entered: datetime.datetime | None = None
    finished: datetime.datetime | None = None
    calendar: datetime.timedelta = field(default_factory=datetime.timedelta)
    working_days: int | None = None
    passes: int = 0
    running: bool = False
    late: bool = False
    due_date: datetime.date | None = None

    @property
    def calendar_text(self) -> str:
        return durasi(self.calendar) if self.passes else ""


def step_standard_label(timing) -> str:
    """The printed standard of one step, from ``workflow.sla.step_timings``' row."""
    if timing is None or timing.standard_amount is None:
        return "—"
    unit = "hari kalender" if timing.calendar_days else "hari kerja"
    return f"{timing.standard_amount} {unit}"


_STATE_ORDER = [state for step in STEPS for state in step.states]


def step_actor_label(step, titles) -> str:
    """Who acts in ``step``. Step 3 has two forwarders in turn, each named with whom they
    forward to: "Kasi → Kabid, Kabid → Kadis"."""
    actors = [ACTOR_OF_STATE[state] for state in step.states]
    if len(set(actors)) == 1:
        return titles(actors[0])
    parts = []
    for state, actor in zip(step.states, actors, strict=True):
        following = _STATE_ORDER[_STATE_ORDER.index(state) + 1]
        parts.append(f"{titles(actor)} → {titles(ACTOR_OF_STATE[following])}")
    return ", ".join(parts)


def step_intervals(
    req, logs: list[TransitionLog], as_of: datetime.datetime
) -> dict[int, list[list]]:
    """Per step, the [start, end] stays (end None while running); adjacent stays merge."""
    stays: dict[int, list[list]] = {}
    state, since = State.DRAFT, req.created_at
    for log in logs:
        _add_stay(stays, step_number(log.from_state), since, log.created_at)
        state, since = log.to_state, log.created_at  # type: ignore[assignment]  # a State value
    current = step_number(state)
    if current is not None:
        _add_stay(stays, current, since, None)
    return stays


def _add_stay(stays, step, start, end) -> None:
    if step is None:
        return
    mine = stays.setdefault(step, [])
    if mine and mine[-1][1] == start:
        mine[-1][1] = end  # e.g. step 3: Kasi forward, then Kabid forward
    else:
        mine.append([start, end])


def step_rows(req, logs: list[TransitionLog], as_of: datetime.datetime, titles) -> list[StepRow]:
    timings = {t.step: t for t in sla.step_timings(req)}
    stays = step_intervals(req, logs, as_of)
    rows = []
    for step in STEPS:
        timing = timings.get(step.number)
        row = StepRow(
            number=step.number,
            activity=str(step.activity),
            actor=step_actor_label(step, titles),
            standard=step_standard_label(timing),
        )
        mine = stays.get(step.number, [])
        if mine:
            row.passes = len(mine)
            row.entered = mine[0][0]
            row.running = mine[-1][1] is None
            row.finished = None if row.running else mine[-1][1]
            row.calendar = sum(
                ((end or as_of) - start for start, end in mine), datetime.timedelta()
            )
        visits = [v for v in (timing.visits if timing else []) if v.entered_at <= as_of]
        done = [v for v in visits if v.finished_at is not None and v.finished_at <= as_of]
        if done:
            row.working_days = sum(v.taken or 0 for v in done)
            row.late = any(v.on_time is False for v in done)
        if visits and row.running:
            row.due_date = visits[-1].due_date
        rows.append(row)
    return rows
