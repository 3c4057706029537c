"""The leaders' dashboard: how the office keeps the SOP's time standards.

Every figure is aggregated in the database (a fixed number of queries whatever the
number of proposals); percentiles come from a per-step histogram of whole working days.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from requests_intake.models import ApplicationRequest
from workflow.masterdata import step_standards
from workflow.models import StepVisit, TransitionLog
from workflow.states import (
    ACTOR_OF_STATE,
    FINAL_STATES,
    STEP_OF_STATE,
    STEPS,
    Role,
    State,
)


@dataclass
class DashboardFilters:
    date_from: datetime.date
    date_to: datetime.date
    unit: int | None = None
    state: str = ""

    @classmethod
    def default(cls) -> "DashboardFilters":
        today = timezone.localdate()
        return cls(date_from=today.replace(month=1, day=1), date_to=today)

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        tz = timezone.get_current_timezone()
        start = datetime.datetime.combine(self.date_from, datetime.time.min, tzinfo=tz)
        end = datetime.datetime.combine(
            self.date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
        )
        return start, end


def percentile(histogram: dict[int, int], fraction: float) -> int | None:
    """The smallest value v with at least ``fraction`` of observations ≤ v."""
    total = sum(histogram.values())
    if total == 0:
        return None
    needed = fraction * total
    running = 0
    for value in sorted(histogram):
        running += histogram[value]
        if running >= needed:
            return value
    return max(histogram)


@dataclass
class StepFigures:
    step: int
    activity: str
    standard: int | None
    calendar_days: bool
    finished: int = 0
    on_time: int = 0
    average: float | None = None
    median: int | None = None
    p90: int | None = None
    running_now: int = 0
    overdue_now: int = 0

    @property
    def compliance(self) -> float | None:
        return round(100 * self.on_time / self.finished, 1) if self.finished else None

    @property
    def load(self) -> float | None:
        """Median duration as a share of the standard (the bottleneck measure)."""
        if self.median is None or not self.standard:
            return None
        return self.median / self.standard


@dataclass
class Dashboard:
    filters: DashboardFilters
    steps: list[StepFigures]
    months: list[dict]
    units: list[dict]
    overdue: list[ApplicationRequest]
    overdue_total: int
    running_total: int
    end_to_end: dict = field(default_factory=dict)

    @property
    def bottleneck(self) -> StepFigures | None:
        candidates = [s for s in self.steps if s.load is not None]
        return max(candidates, key=lambda s: (s.load, -(s.compliance or 0)), default=None)


def _requests(filters: DashboardFilters):
    qs = ApplicationRequest.objects.exclude(state=State.DRAFT)
    if filters.unit:
        qs = qs.filter(unit_id=filters.unit)
    if filters.state:
        qs = qs.filter(state=filters.state)
    return qs


def build_dashboard(filters: DashboardFilters) -> Dashboard:
    start, end = filters.bounds()
    today = timezone.localdate()
    requests = _requests(filters)

    # Proposals per state now, and overdue now (queries 1–2).
    running = requests.running()
    now_by_state = running.values("state").annotate(
        n=Count("pk"), late=Count("pk", filter=Q(due_date__lt=today))
    )
    overdue_qs = requests.overdue(today)
    overdue = list(
        overdue_qs.select_related("unit", "assigned_prakom").order_by("due_date", "pk")[:50]
    )
    overdue_total = sum(row["late"] for row in now_by_state)

    # Finished step visits in the period (queries 3–4).
    visits = StepVisit.objects.filter(finished_at__gte=start, finished_at__lt=end)
    if filters.unit:
        visits = visits.filter(request__unit_id=filters.unit)
    if filters.state:
        visits = visits.filter(request__state=filters.state)
    per_step = {
        row["step"]: row
        for row in visits.values("step").annotate(
            n=Count("pk"), on_time=Count("pk", filter=Q(on_time=True)), avg=Avg("taken")
        )
    }
    histograms: dict[int, dict[int, int]] = {}
    for row in visits.values("step", "taken").annotate(n=Count("pk")):
        histograms.setdefault(row["step"], {})[row["taken"]] = row["n"]

    standards = step_standards()  # master data, cached
    steps = []
    for step in STEPS:
        standard = standards.get(step.number)
        row = per_step.get(step.number, {})
        figures = StepFigures(
            step=step.number,
            activity=str(step.activity),
            standard=standard.measured_amount if standard else None,
            calendar_days=bool(standard and standard.calendar_days),
            finished=row.get("n", 0),
            on_time=row.get("on_time", 0),
            average=round(row["avg"], 1) if row.get("avg") is not None else None,
            median=percentile(histograms.get(step.number, {}), 0.5),
            p90=percentile(histograms.get(step.number, {}), 0.9),
        )
        steps.append(figures)
    for row in now_by_state:
        number = STEP_OF_STATE.get(row["state"])
        if number:
            steps[number - 1].running_now += row["n"]
            steps[number - 1].overdue_now += row["late"]

    # Proposals per month: received, decided, completed, rejected (query 5).
    log = TransitionLog.objects.filter(
        created_at__gte=start,
        created_at__lt=end,
        transition__in=["submit", "decide_needed", "decide_not_needed", "finish_socialisation"],
    )
    if filters.unit:
        log = log.filter(request__unit_id=filters.unit)
    if filters.state:
        log = log.filter(request__state=filters.state)
    months: dict[datetime.date, dict] = {}
    month_rows = log.annotate(month=TruncMonth("created_at")).values("month", "transition")
    for row in month_rows.annotate(n=Count("pk")):
        month = (
            timezone.localtime(row["month"]).date()
            if isinstance(row["month"], datetime.datetime)
            else row["month"]
        )
        bucket = months.setdefault(
            month, {"month": month, "received": 0, "decided": 0, "completed": 0, "rejected": 0}
        )
        name = row["transition"]
        if name == "submit":
            bucket["received"] += row["n"]
        elif name == "finish_socialisation":
            bucket["completed"] += row["n"]
        else:
            bucket["decided"] += row["n"]
            if name == "decide_not_needed":
                bucket["rejected"] += row["n"]

    # Per requesting unit, proposals submitted in the period (query 6).
    units = list(
        requests.filter(submitted_at__gte=start, submitted_at__lt=end)
        .values("unit_id", "unit__name", "unit__short_name")
        .annotate(
            received=Count("pk"),
            completed=Count("pk", filter=Q(state=State.COMPLETED)),
            rejected=Count("pk", filter=Q(state=State.REJECTED)),
            running=Count("pk", filter=~Q(state__in=FINAL_STATES)),
            overdue=Count("pk", filter=Q(due_date__lt=today) & ~Q(state__in=FINAL_STATES)),
        )
        .order_by("-received", "unit__short_name")
    )

    # End-to-end time of proposals closed in the period (query 7). Kept apart from the
    # running count: one query with either condition reads every proposal.
    closed = requests.filter(completed_at__gte=start, completed_at__lt=end)
    end_to_end = closed.aggregate(
        completed=Count("pk", filter=Q(state=State.COMPLETED)),
        rejected=Count("pk", filter=Q(state=State.REJECTED)),
        avg_completed=Avg("total_working_days", filter=Q(state=State.COMPLETED)),
        avg_rejected=Avg("total_working_days", filter=Q(state=State.REJECTED)),
    )

    return Dashboard(
        filters=filters,
        steps=steps,
        months=[months[m] for m in sorted(months)],
        units=units,
        overdue=overdue,
        overdue_total=overdue_total,
        running_total=sum(row["n"] for row in now_by_state),
        end_to_end=end_to_end,
    )


def holder_label(req: ApplicationRequest) -> str:
    """Who holds a running proposal: the assigned Prakom by name, otherwise the role."""
    role = ACTOR_OF_STATE.get(req.state)
    if role is None:
        return ""
    if role == Role.PRAKOM and req.assigned_prakom is not None:
        return str(req.assigned_prakom)
    return str(role.label)
