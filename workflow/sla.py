"""Time standards in use: step visits, due dates, and what a proposal's timeline shows."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

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


def standard_for(step: int) -> StepStandard:
    standard = StepStandard.objects.filter(step=step).first()
    if standard is None:  # the admin cannot delete standards; this guards a broken install
        amount, unit = SOP_STANDARDS[step]
        standard = StepStandard(step=step, amount=amount, unit=unit)
    return standard


def step_due_date(
    at: datetime.datetime, amount: int, calendar: WorkCalendar, *, calendar_days: bool
) -> datetime.date:
    """The due date of a step begun at ``at``: counted from the working day its clock starts
    (a step begun on a day off or after office hours starts on the next working day)."""
    return calendar.due_date(calendar.clock_start(at), amount, calendar_days=calendar_days)


def open_visit(req, step: int, at: datetime.datetime, calendar: WorkCalendar) -> StepVisit:
    """Start measuring ``step``; sets ``req.due_date`` (the caller saves ``req``)."""
    standard = standard_for(step)
    due = step_due_date(
        at, standard.measured_amount, calendar, calendar_days=standard.calendar_days
    )
    req.due_date = due
    return StepVisit(
        request=req,
        step=step,
        entered_at=at,
        due_date=due,
        standard_amount=standard.measured_amount,
        calendar_days=standard.calendar_days,
    )


def record_submission(req, at: datetime.datetime, calendar: WorkCalendar) -> None:
    """Step 1 on submission: its clock starts when the proposal is sent, not while drafting.

    A draft is the requesting unit's own work in progress: it has no due date and is never
    overdue. The step-1 visit opens at submission (the caller then closes it, on time).
    """
    if StepVisit.objects.filter(request=req, step=1, finished_at__isnull=True).exists():
        return  # a draft started before step 1 was measured this way
    due = req.due_date
    open_visit(req, 1, at, calendar).save()
    req.due_date = due


def close_visit(req, at: datetime.datetime, calendar: WorkCalendar) -> None:
    visit = StepVisit.objects.filter(request=req, finished_at__isnull=True).first()
    if visit is None:
        return
    visit.finished_at = at
    visit.taken = max(
        0,
        calendar.elapsed(
            calendar.clock_start(visit.entered_at),
            local_date(at),
            calendar_days=visit.calendar_days,
        ),
    )
    visit.on_time = local_date(at) <= visit.due_date
    visit.save(update_fields=["finished_at", "taken", "on_time"])


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
    standards = {s.step: s for s in StepStandard.objects.all()}
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
