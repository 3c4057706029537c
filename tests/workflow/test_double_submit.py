"""A second press of the same action button must not tell the person that someone else
handled the proposal: their own first press did (the answer to it may never have arrived).
"""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from workflow.models import TransitionLog
from workflow.services import STALE_MESSAGE
from workflow.states import State
from workflow.transitions import TRANSITIONS

RECEIVE = {
    "receive-agenda_number": "AG-7",
    "receive-received_date": "",
    "receive-sifat": "biasa",
    "receive-study_notes": "Lengkap.",
}


def _receive_form(req) -> dict:
    data = dict(RECEIVE, **{"receive-revision": req.revision})
    data["receive-received_date"] = req.submitted_at.date().isoformat()
    return data


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.django_db
def test_pressing_the_same_button_twice_reports_success_both_times(clients, make_request):
    req = make_request(State.RECEIVE)
    url = reverse("workflow:act", args=[req.pk, "receive"])
    data = _receive_form(req)
    first = clients["kasi"].post(url, data)
    second = clients["kasi"].post(url, data)  # the same form, sent again
    assert first.status_code == second.status_code == 302
    shown = _messages(second)
    assert str(TRANSITIONS["receive"].success) in shown
    assert str(STALE_MESSAGE) not in shown
    assert TransitionLog.objects.filter(request=req, transition="receive").count() == 1
    req.refresh_from_db()
    assert req.state == State.KASI_FORWARD


@pytest.mark.django_db
def test_a_stale_form_of_someone_else_is_still_refused_as_stale(clients, users, make_request):
    from tests.conftest import make_user
    from workflow.states import Role

    other = make_user("kasi2", Role.KASI)
    req = make_request(State.RECEIVE)
    url = reverse("workflow:act", args=[req.pk, "receive"])
    data = _receive_form(req)
    clients["kasi"].post(url, data)
    from django.test import Client

    client = Client()
    client.force_login(other)
    response = client.post(url, data)
    assert str(STALE_MESSAGE) in _messages(response)
    assert str(TRANSITIONS["receive"].success) not in _messages(response)


@pytest.mark.django_db
def test_an_older_form_of_the_same_person_is_still_refused_as_stale(clients, make_request):
    req = make_request(State.RECEIVE)
    url = reverse("workflow:act", args=[req.pk, "receive"])
    old = _receive_form(req)
    old["receive-revision"] = req.revision - 1  # a page from before the last change
    response = clients["kasi"].post(url, old)
    assert str(STALE_MESSAGE) in _messages(response)


@pytest.mark.django_db
def test_a_double_submitted_proposal_reports_success(clients, make_request):
    req = make_request("draft")
    url = reverse("workflow:act", args=[req.pk, "submit"])
    data = {"submit-revision": req.revision}
    clients["pemohon"].post(url, data)
    second = clients["pemohon"].post(url, data)
    assert str(TRANSITIONS["submit"].success) in _messages(second)
    assert str(STALE_MESSAGE) not in _messages(second)
