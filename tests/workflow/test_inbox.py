"""The inbox (``workflow:inbox``): what waits for this person, in a fixed number of queries."""

import pytest
from django.urls import reverse

from tests.requests_intake.test_list_queries import SIZES, proposals  # noqa: F401 - fixture
from workflow import demo
from workflow.states import State

URL = reverse("workflow:inbox")

# Session, user, roles with acting assignments, inbox total and unread notifications for the
# navigation, the counts per step, the paginator's count, the rows (no session write: its
# expiry moves only every few minutes). The same count must hold for 5 and 50 proposals.
INBOX_CASES = {
    "pemohon": 8,
    "pemohon2": 8,
    "kasi": 8,
    "prakom": 8,
}


def test_anonymous_is_sent_to_login(anon, db):
    response = anon.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/masuk/")


def test_post_is_refused(clients):
    assert clients["kasi"].post(URL).status_code == 405


def test_each_person_sees_what_waits_for_them(clients, actors, users):
    draft = demo.create_draft(actors, app_name="Aplikasi Draf")
    received = demo.walk(demo.create_draft(actors, app_name="Aplikasi Masuk"), actors, ("submit",))

    def shown(who: str) -> set[int]:
        return {r.pk for r in clients[who].get(URL).context["page"].object_list}

    assert shown("pemohon") == {draft.pk}
    assert shown("pemohon2") == set()
    assert shown("kasi") == {received.pk}
    assert shown("kadis") == set()
    assert received.state == State.RECEIVE


@pytest.mark.parametrize("proposals", SIZES, indirect=True, ids=lambda n: f"{n}-rows")
@pytest.mark.parametrize("who", list(INBOX_CASES))
def test_inbox_query_count(clients, proposals, who, django_assert_num_queries):  # noqa: F811
    clients[who].get(reverse("requests_intake:list"))  # warm the master-data cache
    with django_assert_num_queries(INBOX_CASES[who]):
        response = clients[who].get(URL)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) > 0
