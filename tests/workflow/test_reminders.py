"""The reminder command: the right people, once a day, escalating overdue steps."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command

from workflow import demo
from workflow.models import ReminderLog

JKT = ZoneInfo("Asia/Jakarta")


def at(month, day, hour=10):
    return time_machine.travel(datetime.datetime(2026, month, day, hour, tzinfo=JKT), tick=False)


class BrokenBackend(BaseEmailBackend):
    """The outside world failing: an SMTP server that refuses everything."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server unreachable")


@pytest.fixture
def waiting(actors):
    """X waits for the Kasi (step 2, due Tue 3 Mar); Y for the Prakom (step 5, due 9 Mar)."""
    with at(3, 2):
        x = demo.take(demo.create_draft(actors, app_name="X"), "submit", actors)
        y = demo.walk(demo.create_draft(actors, app_name="Y"), actors, demo.HAPPY_PATH[:5])
    return x, y


def run(day: str, **options) -> str:
    from io import StringIO

    out = StringIO()
    call_command("send_reminders", date=day, stdout=out, **options)
    return out.getvalue()


def recipients() -> dict[str, str]:
    return {m.to[0].split("@")[0]: m.body for m in mail.outbox}


def test_due_tomorrow_goes_to_the_holder_only(waiting):
    output = run("2026-03-02")
    assert set(recipients()) == {"kasi"}
    assert "X" in recipients()["kasi"] and "jatuh tempo" in recipients()["kasi"]
    assert "sent to kasi" in output and waiting[0].registration_number in output


def test_overdue_is_escalated_to_the_superior(waiting):
    x, y = waiting
    run("2026-03-10")  # X overdue 5 days; Y due 9 Mar, overdue 1 day
    got = recipients()
    assert set(got) == {"kasi", "kabid", "prakom"}
    assert x.registration_number in got["kasi"] and y.registration_number in got["kasi"]
    assert "ESKALASI" in got["kasi"]  # Y held by the Prakom
    assert "ESKALASI" in got["kabid"] and x.registration_number in got["kabid"]
    assert y.registration_number in got["prakom"] and x.registration_number not in got["prakom"]
    assert "pemohon" not in got and "kadis" not in got
    kinds = set(ReminderLog.objects.values_list("recipient__username", "kind"))
    assert kinds == {
        ("kasi", "overdue"),
        ("kasi", "escalation"),
        ("kabid", "escalation"),
        ("prakom", "overdue"),
    }


def test_a_second_run_the_same_day_sends_nothing(waiting):
    run("2026-03-10")
    first = len(mail.outbox)
    output = run("2026-03-10")
    assert len(mail.outbox) == first
    assert "0 e-mails sent" in output
    run("2026-03-11")
    assert len(mail.outbox) == 2 * first


def test_weekends_and_holidays_are_skipped(waiting):
    assert "not a working day" in run("2026-03-07")
    assert "not a working day" in run("2026-03-19")  # Nyepi
    assert mail.outbox == []
    run("2026-03-07", any_day=True)
    assert mail.outbox


def test_a_failing_mail_server_is_reported_and_retried(waiting, settings):
    settings.EMAIL_BACKEND = "tests.workflow.test_reminders.BrokenBackend"
    with pytest.raises(CommandError):
        run("2026-03-10")
    assert not ReminderLog.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run("2026-03-10")
    assert {"kasi", "kabid", "prakom"} == set(recipients())


def test_an_acting_official_is_reminded_during_the_period_only(waiting, users):
    from workflow.models import ActingAssignment

    ActingAssignment.objects.create(
        user=users["kabid"],
        role="kasi",
        kind="plh",
        decree_number="800/1",
        start_date=datetime.date(2026, 3, 2),
        end_date=datetime.date(2026, 3, 2),
    )
    run("2026-03-02")  # X is due the next working day: the Kasi and the Plh. Kasi hear of it
    assert set(recipients()) == {"kasi", "kabid"}
    mail.outbox.clear()
    run("2026-03-03")  # the period is over: only the Kasi
    assert set(recipients()) == {"kasi"}
