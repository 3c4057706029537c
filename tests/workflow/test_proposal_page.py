"""The proposal page (``requests_intake:detail``, drawn by ``workflow.views.proposal``)."""

import pytest
from django.urls import reverse

from workflow import demo
from workflow.states import State


def test_anonymous_is_sent_to_login(anon, make_request):
    req = make_request(State.RECEIVE)
    response = anon.get(req.get_absolute_url())
    assert response.status_code == 302 and response["Location"].startswith("/masuk/")


def test_another_unit_gets_404_and_a_draft_is_its_units_own(clients, make_request):
    submitted = make_request(State.RECEIVE)
    draft = make_request(State.DRAFT)
    assert clients["pemohon2"].get(submitted.get_absolute_url()).status_code == 404
    assert clients["kasi"].get(draft.get_absolute_url()).status_code == 404
    assert clients["pemohon"].get(draft.get_absolute_url()).status_code == 200


def test_other_methods_are_refused(clients, make_request):
    req = make_request(State.RECEIVE)
    assert clients["kasi"].post(req.get_absolute_url()).status_code == 405


def test_the_actor_sees_the_step_actions_and_others_do_not(clients, make_request):
    req = make_request(State.DECISION)
    shown = [
        a["spec"].name for a in clients["kadis"].get(req.get_absolute_url()).context["actions"]
    ]
    assert shown == ["decide_needed", "decide_not_needed", "decide_use_existing"]
    assert clients["kasi"].get(req.get_absolute_url()).context["actions"] == []


def test_the_address_and_name_stay(make_request):
    req = make_request(State.RECEIVE)
    assert reverse("requests_intake:detail", args=[req.pk]) == f"/usulan/{req.pk}/"
    assert req.get_absolute_url() == f"/usulan/{req.pk}/"


# (who, state) -> queries. Session, user, roles with acting assignments, the proposal, its
# available transitions' checks, the log, documents, each step's records, comments,
# assignments, the navigation's counts, the session save. The numbers of the page before
# it moved into the workflow app, plus the office records (returns, study checklists for
# staff, meetings and their invitations, the unit's agreements, the application record,
# handover, reuse) and the catalogue's applications in the step-4 form; the same for a
# proposal with one report round or three.
PAGE_CASES = {
    ("kasi", State.RECEIVE): 32,
    ("kadis", State.DECISION): 34,
    ("prakom", State.KASI_CHECK): 33,
    ("kasi", State.KASI_CHECK): 34,
    ("pemohon", State.KASI_CHECK): 30,
}


@pytest.mark.parametrize(("who", "state"), list(PAGE_CASES))
def test_query_count(clients, actors, make_request, who, state, django_assert_num_queries):
    req = make_request(state)
    clients[who].get(reverse("requests_intake:list"))  # warm the master-data cache
    with django_assert_num_queries(PAGE_CASES[(who, state)]):
        response = clients[who].get(req.get_absolute_url())
    assert response.status_code == 200


def test_query_count_stays_as_rounds_grow(clients, actors, make_request, django_assert_num_queries):
    """Three reports and two returns show as many records, in as many queries as one."""
    more = demo.walk(
        make_request(State.KASI_CHECK),
        actors,
        ("kasi_return", "submit_report", "kasi_return", "submit_report"),
    )
    clients["kasi"].get(reverse("requests_intake:list"))
    with django_assert_num_queries(PAGE_CASES[("kasi", State.KASI_CHECK)]):
        response = clients["kasi"].get(more.get_absolute_url())
    assert len(response.context["reports"]) == 3
