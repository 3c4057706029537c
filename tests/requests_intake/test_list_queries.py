"""The proposal list and the inbox run a fixed number of queries, however many rows exist."""

import pytest
from django.urls import reverse
from django.utils import timezone

from workflow import demo
from workflow.states import State

SIZES = [5, 50]


@pytest.fixture
def proposals(request, actors, users):
    """``request.param`` proposals: a third drafts, a third waiting for Kasi, a third in design.

    Half of them belong to the other unit, so the list filters really filter.
    """
    other = {**actors, "pemohon": users["pemohon2"]}
    created = []
    for i in range(request.param):
        people = actors if i % 2 == 0 else other
        req = demo.create_draft(people, app_name=f"Aplikasi Nomor {i}")
        target = (State.DRAFT, State.RECEIVE, State.DESIGN)[i % 3]
        created.append(demo.walk(req, people, demo.path_to(target)))
    return created


# (who, GET params, queries). Every page: session, user, roles, role titles and inbox total
# for the navigation, the paginator's count, the rows, the working-day calendar for the due
# dates, the session save; a pemohon's page also loads the person's unit. The same count must
# hold for 5 and for 50 proposals.
LIST_CASES = {
    "pemohon-all": ("pemohon", {}, 13),
    "pemohon-search": ("pemohon", {"q": "aplikasi nomor"}, 13),
    "pemohon-filters": ("pemohon", {"state": "running", "year": "CURRENT"}, 13),
    "pemohon-page-2": ("pemohon", {"page": "2"}, 13),
    "kasi-all": ("kasi", {}, 12),
    "kasi-search-and-unit": ("kasi", {"q": "nomor", "unit": "DINKES"}, 12),
    "kasi-state": ("kasi", {"state": State.RECEIVE}, 12),
    "kadis-search-opd": ("kadis", {"q": "opd Dinas Kesehatan"}, 12),
}

# The inbox adds the counts per step and drops the unit filter's choices.
INBOX_CASES = {
    "pemohon": 13,
    "pemohon2": 13,
    "kasi": 12,
    "prakom": 12,
}


def resolve(params: dict, units) -> dict:
    resolved = dict(params)
    if resolved.get("year") == "CURRENT":
        resolved["year"] = str(timezone.localdate().year)
    if resolved.get("unit") == "DINKES":
        resolved["unit"] = str(units["dinkes"].pk)
    return resolved


@pytest.mark.parametrize("proposals", SIZES, indirect=True, ids=lambda n: f"{n}-rows")
@pytest.mark.parametrize("case", list(LIST_CASES))
def test_request_list_query_count(clients, units, proposals, case, django_assert_num_queries):
    who, params, queries = LIST_CASES[case]
    client = clients[who]
    with django_assert_num_queries(queries):
        response = client.get(reverse("requests_intake:list"), resolve(params, units))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) > 0


@pytest.mark.parametrize("proposals", SIZES, indirect=True, ids=lambda n: f"{n}-rows")
@pytest.mark.parametrize("who", list(INBOX_CASES))
def test_inbox_query_count(clients, proposals, who, django_assert_num_queries):
    with django_assert_num_queries(INBOX_CASES[who]):
        response = clients[who].get(reverse("workflow:inbox"))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) > 0
