"""Who is told about each transition, in-app and by e-mail, and what survives a mail failure."""

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.urls import reverse

from tests.conftest import make_user
from workflow import demo
from workflow.models import Notification
from workflow.states import State


class BrokenBackend(BaseEmailBackend):
    """The outside world failing: an SMTP server that refuses everything."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server unreachable")


def take(req, name, actors, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return demo.take(req, name, actors)


def told(req, transition) -> dict[str, str]:
    return dict(
        Notification.objects.filter(request=req, log__transition=transition).values_list(
            "recipient__username", "reason"
        )
    )


# transition → who hears about it (username → reason), for pemohon's proposal.
EXPECTED = {
    "submit": {"kasi": "act", "pemohon": "unit", "pemohon_b": "unit"},
    "receive": {},  # the Kasi acts next, and is the one who received it
    "forward_to_kabid": {"kabid": "act"},
    "forward_to_kadis": {"kadis": "act"},
    "decide_needed": {"prakom": "act", "pemohon": "unit", "pemohon_b": "unit"},
    "finish_design": {"pemohon": "unit", "pemohon_b": "unit"},
    "record_presentation": {},
    "request_agreement": {"pemohon": "act", "pemohon_b": "act"},
    "unit_agree": {"prakom": "act"},
    "accept_review": {},
    "submit_report": {"kasi": "act"},
    "kasi_accept": {"kabid": "act"},
    "kabid_accept": {"kadis": "act"},
    "kadis_accept": {"prakom": "act"},
    "finish_socialisation": {"pemohon": "unit", "pemohon_b": "unit"},
}


def test_exactly_the_right_people_hear_of_each_transition(
    users, actors, units, django_capture_on_commit_callbacks
):
    make_user("pemohon_b", "pemohon", units["dinkes"])  # a colleague in the same unit
    req = demo.create_draft(actors)
    for name in demo.HAPPY_PATH:
        if name in demo.MEETING_OF:  # the invitation goes out when the meeting is scheduled
            with django_capture_on_commit_callbacks(execute=True):
                demo.schedule_if_needed(req, demo.MEETING_OF[name], actors["prakom"], actors)
        mail.outbox.clear()
        req = take(req, name, actors, django_capture_on_commit_callbacks)
        assert told(req, name) == EXPECTED[name], name
        assert sorted(m.to[0].split("@")[0] for m in mail.outbox) == sorted(EXPECTED[name])
        # nobody outside the proposal's unit ever hears about it
        assert all("pemohon2" not in m.to[0] for m in mail.outbox)


def test_rejection_and_returns_tell_the_right_people(
    actors, make_request, django_capture_on_commit_callbacks
):
    req = make_request(State.DECISION)
    with django_capture_on_commit_callbacks(execute=True):
        demo.take(req, "decide_not_needed", actors, note="Sudah ada Aplikasi Umum.")
    assert told(req, "decide_not_needed") == {"pemohon": "unit"}
    body = mail.outbox[-1].body
    assert "TIDAK PERLU" in body and "Sudah ada Aplikasi Umum." in body

    other = make_request(State.KABID_CHECK)
    with django_capture_on_commit_callbacks(execute=True):
        demo.take(other, "kabid_return", actors)
    assert told(other, "kabid_return") == {"prakom": "act"}


def test_the_mail_says_what_happened_what_to_do_and_by_when(
    actors, make_request, django_capture_on_commit_callbacks
):
    req = make_request(State.KASI_FORWARD)
    with django_capture_on_commit_callbacks(execute=True):
        req = demo.take(req, "forward_to_kabid", actors)
    message = mail.outbox[-1]
    assert message.to == ["kabid@example.go.id"]
    assert req.registration_number in message.subject
    assert "Kasi" in message.subject  # by whom
    assert "Tindakan Anda" in message.body and "paling lambat" in message.body
    assert req.get_absolute_url() in message.body
    html = message.alternatives[0][0]
    assert req.get_absolute_url() in html


def test_a_failing_mail_server_does_not_undo_the_transition_and_is_retried(
    actors, make_request, settings, django_capture_on_commit_callbacks
):
    req = make_request(State.RECEIVE)
    settings.EMAIL_BACKEND = "tests.workflow.test_notifications.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        req = demo.walk(req, actors, ("receive", "forward_to_kabid"))
    assert req.state == State.KABID_FORWARD
    failed = Notification.objects.get(request=req, log__transition="forward_to_kabid")
    assert failed.email_status == "failed" and failed.email_attempts == 1
    assert "SMTP server unreachable" in failed.email_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("retry_emails")
    failed.refresh_from_db()
    assert failed.email_status == "sent" and failed.email_attempts == 2
    assert [m.to for m in mail.outbox] == [["kabid@example.go.id"]]


def test_email_can_be_turned_off_in_app_stays(
    clients, users, actors, make_request, django_capture_on_commit_callbacks
):
    response = clients["kabid"].post(reverse("workflow:preferences"), {})
    assert response.status_code == 302
    users["kabid"].refresh_from_db()
    assert users["kabid"].email_notifications is False
    req = make_request(State.KASI_FORWARD)
    with django_capture_on_commit_callbacks(execute=True):
        demo.take(req, "forward_to_kabid", actors)
    assert mail.outbox == []
    notification = Notification.objects.get(recipient=users["kabid"])
    assert notification.email_status == "skipped"
    page = clients["kabid"].get(reverse("workflow:notifications")).content.decode()
    assert req.registration_number in page


class TestBellAndList:
    def test_unread_count_list_and_mark_read(self, clients, users, actors, make_request):
        req = make_request(State.KASI_FORWARD)
        demo.take(req, "forward_to_kabid", actors)
        kabid = clients["kabid"]
        page = kabid.get(reverse("workflow:inbox")).content.decode()
        assert '1<span class="visually-hidden"> belum dibaca' in page
        listing = kabid.get(reverse("workflow:notifications"))
        assert listing.status_code == 200 and req.registration_number in listing.content.decode()
        notification = Notification.objects.get(recipient=users["kabid"])
        response = kabid.post(reverse("workflow:notification_read", args=[notification.pk]))
        assert response.status_code == 302 and response["Location"] == req.get_absolute_url()
        notification.refresh_from_db()
        assert notification.read_at is not None
        assert "belum dibaca" not in kabid.get(reverse("workflow:inbox")).content.decode()

    def test_someone_elses_notification_is_404(self, clients, users, actors, make_request):
        req = make_request(State.KASI_FORWARD)
        demo.take(req, "forward_to_kabid", actors)
        notification = Notification.objects.get(recipient=users["kabid"])
        url = reverse("workflow:notification_read", args=[notification.pk])
        assert clients["kadis"].post(url).status_code == 404
        assert clients["kabid"].get(url).status_code == 405

    def test_mark_all_read(self, clients, users, actors, make_request):
        for _ in range(2):
            demo.take(make_request(State.KASI_FORWARD), "forward_to_kabid", actors)
        clients["kabid"].post(reverse("workflow:notifications_read_all"))
        assert not Notification.objects.filter(
            recipient=users["kabid"], read_at__isnull=True
        ).exists()

    @pytest.mark.parametrize("count", [3, 30])
    def test_list_query_count_is_constant(
        self, clients, actors, make_request, count, django_assert_num_queries
    ):
        for _ in range(count):
            demo.take(make_request(State.KASI_FORWARD), "forward_to_kabid", actors)
        with django_assert_num_queries(11):
            clients["kabid"].get(reverse("workflow:notifications"))

    def test_anonymous_goes_to_login(self, anon):
        for name in ("workflow:notifications", "workflow:preferences"):
            assert anon.get(reverse(name)).status_code == 302
