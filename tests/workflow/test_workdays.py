"""The working-day calendar and the due dates steps get from it."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from workflow import demo
from workflow.models import CalendarDay, StandardUnit, StepStandard, StepVisit
from workflow.states import State
from workflow.workdays import WorkCalendar, package_holidays

JKT = ZoneInfo("Asia/Jakarta")
D = datetime.date


def at(year, month, day, hour=10):
    return time_machine.travel(datetime.datetime(year, month, day, hour, tzinfo=JKT), tick=False)


def open_visit(req) -> StepVisit:
    return StepVisit.objects.get(request=req, finished_at__isnull=True)


class TestCalendar:
    def test_weekends_national_holidays_and_cuti_bersama_are_days_off(self, db):
        calendar = WorkCalendar.load()
        assert calendar.is_working_day(D(2026, 2, 13))  # Friday
        assert not calendar.is_working_day(D(2026, 2, 14))  # Saturday
        assert not calendar.is_working_day(D(2026, 2, 16))  # cuti bersama Imlek
        assert not calendar.is_working_day(D(2026, 2, 17))  # Tahun Baru Imlek
        assert not calendar.is_working_day(D(2026, 8, 17))  # Hari Kemerdekaan
        assert calendar.is_working_day(D(2026, 2, 18))

    def test_counting_is_exclusive_of_start_inclusive_of_end(self, db):
        calendar = WorkCalendar.load()
        assert calendar.working_days_between(D(2026, 2, 13), D(2026, 2, 13)) == 0
        assert calendar.working_days_between(D(2026, 2, 13), D(2026, 2, 18)) == 1
        assert calendar.working_days_between(D(2026, 2, 18), D(2026, 2, 13)) == -1
        # Lebaran 2026: 18–24 March off (Nyepi, cuti bersama, Idul Fitri, weekend).
        assert calendar.add_working_days(D(2026, 3, 17), 1) == D(2026, 3, 25)
        assert calendar.add_working_days(D(2026, 3, 13), 5) == D(2026, 3, 27)


class TestDueDates:
    def test_friday_before_a_long_weekend_with_cuti_bersama(self, actors):
        with at(2026, 2, 12):
            req = demo.create_draft(actors)
        with at(2026, 2, 13):  # Friday; Mon 16 is cuti bersama, Tue 17 Imlek
            req = demo.take(req, "submit", actors)
        visit = open_visit(req)
        assert (visit.step, visit.due_date) == (2, D(2026, 2, 18))
        req.refresh_from_db()
        assert req.due_date == D(2026, 2, 18)

    @pytest.mark.parametrize(
        ("override", "due"),
        [
            (
                CalendarDay(date=D(2026, 2, 18), is_holiday=True, name="Libur daerah"),
                D(2026, 2, 19),
            ),
            (
                CalendarDay(date=D(2026, 2, 16), is_holiday=False, name="Cuti bersama batal"),
                D(2026, 2, 16),
            ),
        ],
        ids=["admin-added-holiday", "admin-removed-cuti-bersama"],
    )
    def test_admin_dates_change_the_due_date(self, actors, override, due):
        override.save()
        with at(2026, 2, 13):
            req = demo.take(demo.create_draft(actors), "submit", actors)
        assert open_visit(req).due_date == due

    @pytest.mark.parametrize(
        ("amount", "unit", "due"),
        [
            (1, StandardUnit.WEEKS, D(2026, 6, 8)),  # 5 working days; 1 June is Pancasila
            (2, StandardUnit.WORKING_DAYS, D(2026, 6, 3)),
            (1, StandardUnit.MONTHS, D(2026, 6, 30)),  # 20 working days
            (3, StandardUnit.CALENDAR_DAYS, D(2026, 6, 1)),
        ],
    )
    def test_standard_units_convert_as_set(self, actors, amount, unit, due):
        StepStandard.objects.filter(step=2).update(amount=amount, unit=unit)
        with at(2026, 5, 29):  # Friday
            req = demo.take(demo.create_draft(actors), "submit", actors)
        visit = open_visit(req)
        assert visit.due_date == due
        assert visit.calendar_days is (unit == StandardUnit.CALENDAR_DAYS)

    def test_a_running_step_keeps_its_due_date_when_the_standard_changes(self, actors):
        with at(2026, 6, 2):
            req = demo.take(demo.create_draft(actors), "submit", actors)
        before = open_visit(req).due_date
        StepStandard.objects.filter(step=2).update(amount=2, unit=StandardUnit.WEEKS)
        req.refresh_from_db()
        assert open_visit(req).due_date == before == req.due_date
        with at(2026, 6, 3):
            req = demo.take(req, "receive", actors)
        # step 3 is entered after the change and uses the (unchanged) step 3 standard
        assert open_visit(req).due_date == D(2026, 6, 4)

    def test_step_three_is_one_step_across_both_forwards(self, actors):
        with at(2026, 6, 2):
            req = demo.walk(demo.create_draft(actors), actors, ("submit", "receive"))
        due = open_visit(req).due_date
        with at(2026, 6, 3):
            req = demo.take(req, "forward_to_kabid", actors)
        visit = open_visit(req)
        assert (visit.step, visit.due_date) == (3, due)
        assert req.state == State.KABID_FORWARD


class TestLoadHolidaysCommand:
    def test_loads_the_years_dates_and_keeps_admin_edits(self, db, capsys):
        CalendarDay.objects.create(
            date=D(2026, 12, 24), is_holiday=False, name="Cuti bersama dibatalkan"
        )
        call_command("load_holidays", "2026")
        assert CalendarDay.objects.filter(date__year=2026).count() == len(package_holidays(2026))
        kept = CalendarDay.objects.get(date=D(2026, 12, 24))
        assert kept.is_holiday is False and kept.source == CalendarDay.Source.ADMIN
        call_command("load_holidays", "2026")
        assert "0 dates added" in capsys.readouterr().out
        assert WorkCalendar.load().is_working_day(D(2026, 12, 24))


class TestDrafts:
    def test_a_draft_is_never_overdue_and_step_1_starts_at_submission(self, actors, clients):
        from django.urls import reverse

        from requests_intake.models import ApplicationRequest

        with at(2026, 2, 2):
            req = demo.create_draft(actors)
        with at(2026, 3, 2):  # a month later, still a draft
            req = ApplicationRequest.objects.get(pk=req.pk)
            assert req.due_date is None
            assert not StepVisit.objects.filter(request=req).exists()
            html = clients["pemohon"].get(reverse("requests_intake:list")).content.decode()
            assert "Terlambat" not in html
            page = clients["pemohon"].get(req.get_absolute_url()).content.decode()
            assert "Terlambat" not in page
            req = demo.take(req, "submit", actors)
        first = StepVisit.objects.get(request=req, step=1)
        assert first.entered_at == first.finished_at == req.submitted_at
        assert (first.taken, first.on_time) == (0, True)
        assert open_visit(req).step == 2
