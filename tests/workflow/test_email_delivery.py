"""E-mails are sent once and never lost, whichever worker (on whichever node) runs them."""

import datetime

import time_machine
from django.core import mail
from django.utils import timezone

from tests.workflow.test_notifications import BrokenBackend
from workflow import demo, emails, notifications
from workflow.models import Notification
from workflow.states import State

GRACE = datetime.timedelta(minutes=2)


def forwarded(actors, make_request, capture):
    """A forward to the Kabid whose e-mail was never queued (the web process died)."""
    with capture(execute=True):  # everything before it was sent as usual
        req = make_request(State.KASI_FORWARD)
    mail.outbox.clear()
    demo.take(req, "forward_to_kabid", actors)  # on-commit never runs: the queueing is lost
    return req, Notification.objects.get(request=req, log__transition="forward_to_kabid")


def test_a_second_task_for_a_sent_email_sends_nothing(
    actors, make_request, django_capture_on_commit_callbacks
):
    req = make_request(State.KASI_FORWARD)
    with django_capture_on_commit_callbacks(execute=True):
        demo.take(req, "forward_to_kabid", actors)
    n = Notification.objects.get(request=req, log__transition="forward_to_kabid")
    assert n.email_status == "sent" and len(mail.outbox) == 1
    assert emails.send_email(n.pk) == "gone"
    assert len(mail.outbox) == 1


def test_an_email_held_by_another_worker_is_left_alone_until_its_lease_ends(
    actors, make_request, settings, django_capture_on_commit_callbacks
):
    settings.SOPAPP_EMAIL_LEASE = 120
    _req, n = forwarded(actors, make_request, django_capture_on_commit_callbacks)
    now = timezone.now()
    assert emails._claim_email(n.pk, now)  # a worker on another node took it …
    assert emails.send_email(n.pk) == "taken"
    assert mail.outbox == []
    n.refresh_from_db()
    assert n.email_status == "sending"
    with time_machine.travel(now + datetime.timedelta(seconds=121)):  # … and died
        assert emails.send_email(n.pk) == "sent"
    assert [m.to for m in mail.outbox] == [["kabid@example.go.id"]]


def test_an_email_never_queued_is_sent_by_the_next_heal(
    actors, make_request, django_capture_on_commit_callbacks
):
    _req, n = forwarded(actors, make_request, django_capture_on_commit_callbacks)
    assert notifications.emails_heal(grace=GRACE) == 0  # it may still be on its way
    assert mail.outbox == []
    with time_machine.travel(timezone.now() + GRACE + datetime.timedelta(seconds=5)):
        assert notifications.emails_heal(grace=GRACE) == 1
        assert notifications.emails_heal(grace=GRACE) == 0  # sent: nothing left to do
    n.refresh_from_db()
    assert n.email_status == "sent" and len(mail.outbox) == 1


def test_a_failed_email_is_retried_after_a_back_off_and_gives_up_after_five_tries(
    actors, make_request, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        req = make_request(State.KASI_FORWARD)
    mail.outbox.clear()
    settings.EMAIL_BACKEND = "tests.workflow.test_notifications.BrokenBackend"
    assert BrokenBackend  # the failing mail server of the notification tests
    with django_capture_on_commit_callbacks(execute=True):
        demo.take(req, "forward_to_kabid", actors)
    n = Notification.objects.get(request=req, log__transition="forward_to_kabid")
    assert n.email_status == "failed" and n.email_attempts == 1
    start = timezone.now()
    assert notifications.emails_heal(grace=GRACE) == 0  # too soon after the failure
    for attempt in range(2, 6):
        with time_machine.travel(start + datetime.timedelta(minutes=5 * attempt * attempt)):
            assert notifications.emails_heal(grace=GRACE) == 1
        n.refresh_from_db()
        assert n.email_status == "failed" and n.email_attempts == attempt
    with time_machine.travel(start + datetime.timedelta(days=1)):
        assert notifications.emails_heal(grace=GRACE) == 0  # five tries: an administrator looks
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert mail.outbox == []
