"""Time standards in use: step visits, due dates, and what a proposal's timeline shows."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from workflow.masterdata import step_measures
from workflow.models import StandardUnit, StepStandard, StepVisit
from workflow.states import STEPS
from workflow.workdays import WorkCalendar

# The SOP's table (section 5, Mutu Baku): step → (amount, unit). Seeds StepStandard.
SOP_STANDARDS: dict[int, tuple[int, str]] = {
    1: (1, StandardUnit.WORKING_DAYS),
    2: (1, StandardUnit.WORKING_DAYS),
    3: (1, StandardUnit.WORKING_DAYS),
    4: (1, StandardUnit.MONTHS),
    5: (1, StandardUnit.WEEKS),
    6: (2, StandardUnit.WEEKS),
    7: (1, StandardUnit.WEEKS),
    8: (1, StandardUnit.WEEKS),
    9: (1, StandardUnit.WORKING_DAYS),
    10: (1, StandardUnit.WORKING_DAYS),
    11: (1, StandardUnit.WORKING_DAYS),
    12: (1, StandardUnit.WEEKS),
}


def local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def standard_for(step: int) -> tuple[int, bool]:
    """The measured amount and whether it counts calendar days, of ``step`` (master data)."""
    found = step_measures().get(step)
    if found is None:  # the admin cannot delete standards; this guards a broken install
        amount, unit = SOP_STANDARDS[step]
        standard = StepStandard(step=step, amount=amount, unit=unit)
        found = (standard.measured_amount, standard.calendar_days)
    return found


def step_due_date(
    at: datetime.datetime, amount: int, calendar: WorkCalendar, *, calendar_days: bool
) -> datetime.date:
    """The due date of a step begun at ``at``: counted from the working day its clock starts
    (a step begun on a day off or after office hours starts on the next working day)."""
    return calendar.due_date(calendar.clock_start(at), amount, calendar_days=calendar_days)


class StepVisits:
    """The step visits one transition closes and opens; written by ``save()``.

    The open visit comes with the locked proposal (``open_visit_*`` annotations of
    ``workflow.services.core._lock``), so closing it is one ``UPDATE`` and opening the
    next one ``INSERT`` (both visits of a submission in one).
    """

    def __init__(self, req, at: datetime.datetime, calendar: WorkCalendar) -> None:
        self.req, self.at, self.calendar = req, at, calendar
        self.new: list[StepVisit] = []
        self.closed: dict | None = None

    def _visit(self, step: int) -> StepVisit:
        amount, calendar_days = standard_for(step)
        due = step_due_date(self.at, amount, self.calendar, calendar_days=calendar_days)
        return StepVisit(
            request=self.req,
            step=step,
            entered_at=self.at,
            due_date=due,
            standard_amount=amount,
            calendar_days=calendar_days,
        )

    def open(self, step: int) -> None:
        """Start measuring ``step``; sets the proposal's due date."""
        visit = self._visit(step)
        self.req.due_date = visit.due_date
        self.new.append(visit)

    def submitted(self) -> None:
        """Step 1 on submission: its clock starts when the proposal is sent, not while
        drafting (a draft has no due date and is never overdue), and it ends on time then.
        A draft whose step 1 was opened when it was created is closed as usual."""
        if getattr(self.req, "open_visit_id", None) is not None:
            self.close_open()
            return
        visit = self._visit(1)
        visit.finished_at, visit.taken, visit.on_time = self.at, 0, True
        self.new.append(visit)

    def close_open(self) -> None:
        req = self.req
        if getattr(req, "open_visit_id", None) is None:
            return
        local = local_date(self.at)
        taken = self.calendar.elapsed(
            self.calendar.clock_start(req.open_visit_entered_at),
            local,
            calendar_days=req.open_visit_calendar_days,
        )
        self.closed = {
            "finished_at": self.at,
            "taken": max(0, taken),
            "on_time": local <= req.open_visit_due_date,
        }

    def save(self) -> None:
        if self.closed is not None:
            StepVisit.objects.filter(pk=self.req.open_visit_id).update(**self.closed)
        if self.new:
            StepVisit.objects.bulk_create(self.new)


@dataclass
class Remaining:
    """How a running step stands against its due date, for people to read."""

    due_date: datetime.date
    days: int  # working days left (negative: overdue by that many)

    @property
    def overdue(self) -> bool:
        return self.days < 0

    @property
    def overdue_days(self) -> int:
        return max(0, -self.days)

    @property
    def due_today(self) -> bool:
        return self.days == 0

    @property
    def level(self) -> str:
        if self.days < 0:
            return "overdue"
        if self.days <= 1:
            return "soon"
        return "ok"


def remaining(
    due: datetime.date | None, calendar: WorkCalendar, today: datetime.date | None = None
) -> Remaining | None:
    if due is None:
        return None
    today = today or timezone.localdate()
    return Remaining(due_date=due, days=calendar.working_days_between(today, due))


@dataclass
class StepTiming:
    step: int
    activity: str
    visits: list[StepVisit]
    standard_amount: int | None
    calendar_days: bool


def step_timings(req) -> list[StepTiming]:
    """Per SOP step: its visits (entered, finished, due, taken, on time) and its standard."""
    visits = list(StepVisit.objects.filter(request=req).order_by("entered_at", "pk"))
    return timings_of(visits, {s.step: s for s in StepStandard.objects.all()})


def timings_of(visits: list[StepVisit], standards: dict[int, StepStandard]) -> list[StepTiming]:
    """``step_timings`` over visits already read (in order) and standards by step number."""
    rows = []
    for step in STEPS:
        mine = [v for v in visits if v.step == step.number]
        standard = standards.get(step.number)
        rows.append(
            StepTiming(
                step=step.number,
                activity=str(step.activity),
                visits=mine,
                standard_amount=mine[-1].standard_amount
                if mine
                else (standard.measured_amount if standard else None),
                calendar_days=mine[-1].calendar_days
                if mine
                else bool(standard and standard.calendar_days),
            )
        )
    return rows


def attach_remaining(rows, calendar: WorkCalendar | None = None) -> None:
    """Set ``row.remaining`` on proposals of a page (no queries beyond the calendar's)."""
    rows = list(rows)
    if not rows:
        return
    calendar = calendar or WorkCalendar.load()
    today = timezone.localdate()
    for row in rows:
        row.remaining = remaining(row.due_date, calendar, today)
