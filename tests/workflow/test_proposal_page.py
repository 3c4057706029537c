"""The proposal page (``requests_intake:detail``, drawn by ``workflow.views.proposal``)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from workflow import demo
from workflow.models import ActingAssignment
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


# (who, state) -> queries. Session, user, roles with acting assignments (one query), the
# proposal; everything else of the proposal in one query (its log, uploaded documents, step
# visits, each step's records, comments and their earlier versions, returns, study
# checklists for staff, meetings and invitations, the unit's agreements, the application
# record, handover, reuse); the navigation's two counts; the official documents with, for
# staff, the signers lacking NIP or rank (one query); the signatures waiting; for staff, the
# similar applications in the catalogue. Besides: the Prakom staff of the reassign form
# (Kasi) or of the step-4 form, with the catalogue's applications (Kadis), the unit's users
# to invite and hand over to (Prakom at step 12). The same for one report round or three.
# Master data (units, role titles, calendar, step standards) comes from the cache, warmed by
# a first visit.
PAGE_CASES = {
    ("kasi", State.RECEIVE): 10,
    ("kadis", State.DECISION): 12,
    ("prakom", State.KASI_CHECK): 10,
    ("kasi", State.KASI_CHECK): 11,
    ("pemohon", State.KASI_CHECK): 9,
    ("prakom", State.SOCIALISATION): 12,
    ("kasi", State.COMPLETED): 10,
    ("pemohon", State.COMPLETED): 9,
}


@pytest.mark.parametrize(("who", "state"), list(PAGE_CASES))
def test_query_count(clients, actors, make_request, who, state, django_assert_num_queries):
    req = make_request(state)
    clients[who].get(req.get_absolute_url())  # warm the master-data cache
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
    clients["kasi"].get(more.get_absolute_url())
    with django_assert_num_queries(PAGE_CASES[("kasi", State.KASI_CHECK)]):
        response = clients["kasi"].get(more.get_absolute_url())
    assert len(response.context["reports"]) == 3


def test_an_acting_official_costs_no_more_queries(
    clients, users, make_request, django_assert_num_queries
):
    """The Kabid standing in for the Kepala Dinas (Plt.) reads the page as the Kadis does."""
    today = timezone.localdate()
    ActingAssignment.objects.create(
        user=users["kabid"],
        role="kadis",
        kind="plt",
        absent_official=users["kadis"],
        decree_number="800/12/DISKOMINFO/2026",
        start_date=today,
        end_date=today,
    )
    req = make_request(State.DECISION)
    clients["kabid"].get(req.get_absolute_url())
    with django_assert_num_queries(PAGE_CASES[("kadis", State.DECISION)]):
        response = clients["kabid"].get(req.get_absolute_url())
    assert [a["spec"].name for a in response.context["actions"]][0] == "decide_needed"
    assert "Plt. Kepala Dinas" in response.content.decode()
