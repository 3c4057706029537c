"""The proposal list runs a fixed number of queries, however many rows exist.

(The inbox's count is pinned in tests/workflow/test_inbox.py with the same proposals.)
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
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


# (who, GET params, queries). Every page: session, user, roles with acting assignments, inbox
# total and unread notifications for the navigation, the paginator's count, the rows (no
# session write: its expiry moves only every few minutes). Calendar, role titles and units
# come from the one-minute master-data cache. A search adds one: the units its words name.
# The same count must hold for 5 and 50.
LIST_CASES = {
    "pemohon-all": ("pemohon", {}, 7),
    "pemohon-search": ("pemohon", {"q": "aplikasi nomor"}, 8),
    "pemohon-filters": ("pemohon", {"state": "running", "year": "CURRENT"}, 7),
    "pemohon-page-2": ("pemohon", {"page": "2"}, 7),
    "kasi-all": ("kasi", {}, 7),
    "kasi-search-and-unit": ("kasi", {"q": "nomor", "unit": "DINKES"}, 8),
    "kasi-state": ("kasi", {"state": State.RECEIVE}, 7),
    "kadis-search-opd": ("kadis", {"q": "opd Dinas Kesehatan"}, 8),
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
    client.get(reverse("requests_intake:list"))  # warm the one-minute master-data cache
    with django_assert_num_queries(queries):
        response = client.get(reverse("requests_intake:list"), resolve(params, units))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) > 0


def test_the_count_stops_at_the_cap(clients, actors, settings):
    settings.SOPAPP_LIST_COUNT_CAP = 3
    for i in range(5):
        demo.walk(demo.create_draft(actors, app_name=f"A{i}"), actors, ("submit",))
    response = clients["kasi"].get(reverse("requests_intake:list"))
    assert response.context["page"].paginator.count == 3
    assert "Lebih dari 3 usulan" in response.content.decode()
    settings.SOPAPP_LIST_COUNT_CAP = 10
    response = clients["kasi"].get(reverse("requests_intake:list"))
    assert "5 usulan ditemukan" in response.content.decode()


@pytest.mark.parametrize("params", [{}, {"q": "arsip"}, {"state": "running"}])
def test_past_the_cap_the_page_is_read_in_date_order(clients, actors, settings, params):
    settings.SOPAPP_LIST_COUNT_CAP = 3
    made = [
        demo.walk(demo.create_draft(actors, app_name=f"Arsip {i}"), actors, ("submit",))
        for i in range(5)
    ]
    newest = sorted(made, key=lambda req: (req.created_at, req.pk), reverse=True)
    client = clients["kasi"]
    client.get(reverse("requests_intake:list"))  # warm the one-minute master-data cache
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("requests_intake:list"), params)
    page = response.context["page"]
    assert page.paginator.capped
    assert [req.pk for req in page.object_list] == [req.pk for req in newest[:3]]
    rows_sql = next(q["sql"] for q in captured if "LIMIT 3" in q["sql"])
    assert 'ORDER BY "requests_intake_applicationrequest"."created_at" DESC' in rows_sql
    assert "MATCH" not in rows_sql
    settings.SOPAPP_LIST_COUNT_CAP = 5
    response = client.get(reverse("requests_intake:list"), params)
    assert not response.context["page"].paginator.capped
    assert [req.pk for req in response.context["page"].object_list] == [req.pk for req in newest]
