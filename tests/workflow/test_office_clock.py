"""The clock as a Kasi counts it: office hours, days off, and the fast calendar index."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from tests.properties import property_settings
from workflow import demo
from workflow.models import CalendarDay, StepVisit
from workflow.workdays import WorkCalendar, package_holidays

JKT = ZoneInfo("Asia/Jakarta")
D = datetime.date


def moment(year, month, day, hour, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=JKT)


def at(*args):
    return time_machine.travel(moment(*args), tick=False)


def visit(req, step) -> StepVisit:
    return StepVisit.objects.filter(request=req, step=step).latest("entered_at")


class TestClockStart:
    """2026-06-01 is Pancasila (Monday, a holiday); 2026-06-05 a Friday."""

    @pytest.mark.parametrize(
        ("when", "starts"),
        [
            (moment(2026, 6, 3, 10), D(2026, 6, 3)),  # Wednesday, office hours
            (moment(2026, 6, 3, 6, 45), D(2026, 6, 3)),  # before 07.30: the same day
            (moment(2026, 6, 3, 15, 59), D(2026, 6, 3)),
            (moment(2026, 6, 3, 16, 0), D(2026, 6, 4)),  # from 16.00: the next working day
            (moment(2026, 6, 5, 19), D(2026, 6, 8)),  # Friday evening: Monday
            (moment(2026, 6, 6, 10), D(2026, 6, 8)),  # Saturday
            (moment(2026, 5, 31, 20), D(2026, 6, 2)),  # Sunday evening, Monday is Pancasila
        ],
    )
    def test_a_step_starts_counting_at_the_next_office_start(self, db, when, starts):
        assert WorkCalendar.load().clock_start(when) == starts

    def test_office_hours_are_a_setting(self, db, settings):
        settings.SOPAPP_OFFICE_END = datetime.time(14, 0)
        assert WorkCalendar.load().clock_start(moment(2026, 6, 3, 14, 30)) == D(2026, 6, 4)
        settings.SOPAPP_OFFICE_END = datetime.time(17, 0)
        assert WorkCalendar.load().clock_start(moment(2026, 6, 3, 16, 30)) == D(2026, 6, 3)

    def test_the_configured_time_zone_decides_the_hour(self, db, settings):
        settings.TIME_ZONE = "Asia/Jayapura"  # WIT, two hours ahead of WIB
        # 14.30 WIB on a Wednesday is 16.30 WIT: after office hours in Jayapura.
        assert WorkCalendar.load().clock_start(moment(2026, 6, 3, 14, 30)) == D(2026, 6, 4)

    def test_a_day_off_set_by_the_administrator_counts(self, db):
        CalendarDay.objects.create(date=D(2026, 6, 4), is_holiday=True, name="Libur daerah")
        assert WorkCalendar.load().clock_start(moment(2026, 6, 3, 17)) == D(2026, 6, 5)


class TestStepsOnTheOfficeClock:
    def test_submitted_sunday_evening_and_received_tuesday_morning_is_on_time(self, actors):
        with at(2026, 6, 3, 10):
            req = demo.create_draft(actors)
        with at(2026, 6, 7, 20):  # Sunday evening
            req = demo.take(req, "submit", actors)
        receipt = visit(req, 2)
        assert receipt.due_date == D(2026, 6, 9)  # counted from Monday: one working day
        with at(2026, 6, 9, 8):  # Tuesday morning
            req = demo.take(req, "receive", actors)
        receipt.refresh_from_db()
        assert receipt.on_time is True
        assert receipt.taken == 1

    def test_work_arriving_after_hours_gets_the_next_days_full_standard(self, actors):
        with at(2026, 6, 3, 10):
            req = demo.walk(demo.create_draft(actors), actors, ["submit"])
        with at(2026, 6, 3, 17):  # Wednesday after office hours
            req = demo.take(req, "receive", actors)
        assert visit(req, 3).due_date == D(2026, 6, 5)  # Thursday starts, Friday due
        with at(2026, 6, 4, 9):
            req = demo.take(req, "forward_to_kabid", actors)
        assert visit(req, 3).due_date == D(2026, 6, 5)  # one step across both forwards

    def test_a_step_begun_in_office_hours_is_counted_as_before(self, actors):
        with at(2026, 6, 3, 10):
            req = demo.walk(demo.create_draft(actors), actors, ["submit"])
        assert visit(req, 2).due_date == D(2026, 6, 4)

    def test_a_draft_is_never_late_and_step_1_starts_at_submission(self, actors):
        with at(2026, 1, 5, 10):
            req = demo.create_draft(actors)
        assert req.due_date is None and not StepVisit.objects.filter(request=req).exists()
        with at(2026, 6, 7, 21):  # five months later, a Sunday night
            req = demo.take(req, "submit", actors)
        first = visit(req, 1)
        assert first.entered_at == req.submitted_at and first.on_time is True
        assert first.taken == 0


class TestIndex:
    def test_counts_across_many_years_without_walking(self, db):
        calendar = WorkCalendar.load()
        assert calendar.add_working_days(D(2026, 3, 17), 1) == D(2026, 3, 25)  # Lebaran
        assert calendar.working_days_between(D(2024, 1, 1), D(2028, 12, 31)) == sum(
            calendar.rule(D(2024, 1, 1) + datetime.timedelta(days=i))
            for i in range(1, (D(2028, 12, 31) - D(2024, 1, 1)).days + 1)
        )

    def test_a_changed_calendar_row_gives_a_fresh_index(self, db):
        before = WorkCalendar.load()
        assert before.add_working_days(D(2026, 6, 3), 1) == D(2026, 6, 4)
        CalendarDay.objects.create(date=D(2026, 6, 4), is_holiday=True, name="Libur daerah")
        after = WorkCalendar.load()
        assert after.add_working_days(D(2026, 6, 3), 1) == D(2026, 6, 5)
        assert after.working_days_between(D(2026, 6, 3), D(2026, 6, 5)) == 1
        CalendarDay.objects.filter(date=D(2026, 6, 4)).get().delete()
        assert WorkCalendar.load().add_working_days(D(2026, 6, 3), 1) == D(2026, 6, 4)

    def test_a_page_of_due_dates_needs_few_rule_evaluations(self, db):
        calendar = WorkCalendar.load()
        calendar.working_days_between(D(2026, 1, 1), D(2026, 12, 31))  # build
        calls = 0
        rule = calendar.rule

        def counting(day):
            nonlocal calls
            calls += 1
            return rule(day)

        calendar.rule = counting
        for offset in range(300):
            start = D(2026, 1, 1) + datetime.timedelta(days=offset)
            calendar.add_working_days(start, 20)
            calendar.working_days_between(start, D(2026, 12, 1))
            calendar.is_working_day(start)
        assert calls == 0


# --- the fast index equals a plain walk, day by day -----------------------------------------


def walk_add(rule, start: datetime.date, amount: int) -> datetime.date:
    day, remaining = start, amount
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if rule(day):
            remaining -= 1
    return day


def walk_between(rule, start: datetime.date, end: datetime.date) -> int:
    if end < start:
        return -walk_between(rule, end, start)
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        count += rule(day)
    return count


def plain_rule(overrides):
    def rule(day):
        if day in overrides:
            return not overrides[day]
        return day.weekday() < 5 and day not in package_holidays(day.year)

    return rule


days = st.dates(min_value=D(2024, 1, 1), max_value=D(2028, 12, 31))  # within the 5-year limit
overrides = st.dictionaries(days, st.booleans(), max_size=12)


@property_settings(max_examples=300)
@given(overrides=overrides, start=days, amount=st.integers(0, 300), end=days)
def test_the_index_answers_as_a_day_by_day_walk(overrides, start, amount, end):
    calendar = WorkCalendar(dict(overrides))
    rule = plain_rule(overrides)
    assert calendar.add_working_days(start, amount) == walk_add(rule, start, amount)
    assert calendar.working_days_between(start, end) == walk_between(rule, start, end)
    assert calendar.is_working_day(end) == rule(end)
    assert calendar.next_working_day(start) == walk_add(rule, start, 1)
