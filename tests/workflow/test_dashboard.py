"""SLA figures and the leaders' dashboard, against hand-computed cases."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from workflow import demo
from workflow.dashboard import DashboardFilters, build_dashboard, percentile
from workflow.models import StepVisit
from workflow.states import State

JKT = ZoneInfo("Asia/Jakarta")
D = datetime.date
MARCH = DashboardFilters(date_from=D(2026, 3, 1), date_to=D(2026, 3, 31))


def at(month, day, hour=10):
    return time_machine.travel(datetime.datetime(2026, month, day, hour, tzinfo=JKT), tick=False)


@pytest.fixture
def march(actors):
    """Two proposals with hand-computed durations (working days, 2026 calendar).

    A: drafted Mon 2 Mar, submitted Tue 3 Mar (step 1 is timed from submission: 0 days,
    on time; the day spent drafting is not counted); received Thu 5 Mar (step 2: 2 days,
    late); forwarded to the Kadis Mon 9 Mar (step 3: 2 days, late); rejected Wed 11 Mar
    (step 4: 2 days, on time); end to end 6 working days.
    B: all on Mon 2 Mar except the forwards (Tue 3 Mar) and the decision (Wed 4 Mar):
    steps 1–4 take 0, 0, 1, 1 days, all on time; B then waits in step 5.
    """
    with at(3, 2, 9):
        a = demo.create_draft(actors, app_name="A")
        b = demo.create_draft(actors, app_name="B")
        b = demo.walk(b, actors, ("submit", "receive"))
    with at(3, 3):
        a = demo.take(a, "submit", actors)
        b = demo.walk(b, actors, ("forward_to_kabid", "forward_to_kadis"))
    with at(3, 4):
        b = demo.take(b, "decide_needed", actors)
    with at(3, 5):
        a = demo.walk(a, actors, ("receive", "forward_to_kabid"))
    with at(3, 9):
        a = demo.take(a, "forward_to_kadis", actors)
    with at(3, 11):
        a = demo.take(a, "decide_not_needed", actors)
    return a, b


def test_percentile_from_a_histogram():
    assert percentile({}, 0.5) is None
    assert percentile({0: 1, 1: 1}, 0.5) == 0
    assert percentile({0: 1, 1: 1}, 0.9) == 1
    assert percentile({1: 5, 3: 4, 10: 1}, 0.5) == 1
    assert percentile({1: 5, 3: 4, 10: 1}, 0.9) == 3
    assert percentile({1: 5, 3: 4, 10: 1}, 0.95) == 10


def test_visits_hold_the_hand_computed_durations(march):
    a, b = march
    rows = list(StepVisit.objects.filter(request=a).values_list("step", "taken", "on_time"))
    assert rows == [(1, 0, True), (2, 2, False), (3, 2, False), (4, 2, True)]
    a.refresh_from_db()
    assert a.state == State.REJECTED and a.total_working_days == 6 and a.due_date is None
    rows = list(StepVisit.objects.filter(request=b).values_list("step", "taken", "on_time"))
    assert rows == [(1, 0, True), (2, 0, True), (3, 1, True), (4, 1, True), (5, None, None)]


def test_dashboard_figures(march):
    with at(3, 31):
        data = build_dashboard(MARCH)
    steps = {s.step: s for s in data.steps}
    assert (steps[1].finished, steps[1].on_time, steps[1].compliance) == (2, 2, 100.0)
    assert (steps[2].finished, steps[2].on_time, steps[2].compliance) == (2, 1, 50.0)
    assert (steps[2].median, steps[2].p90, steps[2].average) == (0, 2, 1.0)
    assert (steps[3].compliance, steps[3].median, steps[3].p90) == (50.0, 1, 2)
    assert (steps[4].finished, steps[4].compliance, steps[4].median) == (2, 100.0, 1)
    # the rejected proposal counts only the steps it went through
    assert all(steps[n].finished == 0 for n in range(5, 13))
    assert (steps[5].running_now, data.running_total) == (1, 1)
    assert data.bottleneck.step == 3  # median 1 of a 1-day standard
    assert data.months == [
        {"month": D(2026, 3, 1), "received": 2, "decided": 2, "completed": 0, "rejected": 1}
    ]
    assert [
        (u["unit__short_name"], u["received"], u["rejected"], u["running"]) for u in data.units
    ] == [("Dinkes", 2, 1, 1)]
    assert data.end_to_end["rejected"] == 1 and data.end_to_end["avg_rejected"] == 6
    # Step 5 of B is due 11 Mar (5 working days after 4 Mar): overdue on 31 Mar.
    assert data.overdue_total == 1 and data.overdue[0].app_name == "B"


def test_filters_by_unit_and_period(march, users):
    with at(3, 31):
        other = DashboardFilters(
            date_from=D(2026, 3, 1), date_to=D(2026, 3, 31), unit=users["pemohon2"].unit_id
        )
        assert build_dashboard(other).steps[0].finished == 0
        february = DashboardFilters(date_from=D(2026, 2, 1), date_to=D(2026, 2, 28))
        assert build_dashboard(february).steps[0].finished == 0
        rejected = DashboardFilters(
            date_from=D(2026, 3, 1), date_to=D(2026, 3, 31), state=State.REJECTED
        )
        assert build_dashboard(rejected).steps[0].finished == 1


class TestDashboardPage:
    url = reverse("workflow:dashboard")

    def test_access(self, clients, anon):
        assert anon.get(self.url).status_code == 302
        for role in ("pemohon", "pemohon2", "prakom"):
            assert clients[role].get(self.url).status_code == 403
        for role in ("kasi", "kabid", "kadis", "admin"):
            assert clients[role].get(self.url).status_code == 200
        assert clients["kadis"].post(self.url).status_code == 405

    def test_page_shows_the_figures(self, clients, march):
        with at(3, 31):
            page = clients["kadis"].get(
                self.url, {"date_from": "2026-03-01", "date_to": "2026-03-31"}
            )
        html = page.content.decode()
        assert page.status_code == 200
        assert "50.0%" in html or "50,0%" in html
        assert "<svg" in html and "Terlambat sekarang" in html

    def test_bad_filters_do_not_break_the_page(self, clients):
        response = clients["kasi"].get(
            self.url, {"date_from": "2026-05-01", "date_to": "2026-01-01", "unit": "x9"}
        )
        assert response.status_code == 200
        assert "Tanggal awal harus sebelum tanggal akhir." in response.content.decode() or (
            "unit" in response.context["form"].errors
        )

    def test_xlsx_holds_the_same_rows_as_the_page(self, clients, march):
        query = {"date_from": "2026-03-01", "date_to": "2026-03-31"}
        with at(3, 31):
            page = clients["kadis"].get(self.url, query)
            export = clients["kadis"].get(
                reverse("workflow:dashboard_export"), {**query, "table": "steps", "format": "xlsx"}
            )
        assert export.status_code == 200
        sheet = load_workbook(io.BytesIO(export.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        shown = page.context["data"].steps
        assert len(rows) == 1 + len(shown) == 13
        for row, figures in zip(rows[1:], shown, strict=True):
            assert row[0] == figures.step and row[3] == figures.finished
            assert row[4] == figures.on_time and row[6] == figures.median

    def test_csv_of_each_table(self, clients, march):
        for table in ("steps", "months", "units", "overdue"):
            with at(3, 31):
                response = clients["kasi"].get(
                    reverse("workflow:dashboard_export"),
                    {"date_from": "2026-03-01", "table": table},
                )
            body = b"".join(response.streaming_content).decode("utf-8-sig")
            assert response["Content-Disposition"].startswith("attachment;")
            assert len(body.strip().splitlines()) >= 2, table
        with at(3, 31):  # the session was last saved "on" 31 March
            bad = clients["kasi"].get(reverse("workflow:dashboard_export"), {"table": "nope"})
        assert bad.status_code == 400
        assert "Tabel yang diminta tidak ada." in bad.content.decode()
        assert "Content-Disposition" not in bad


def _add_proposals(actors, count: int, start: int) -> None:
    paths = [("submit",), demo.HAPPY_PATH[:5], demo.path_to(State.REJECTED), ("submit", "receive")]
    for index in range(start, start + count):
        req = demo.create_draft(actors, app_name=f"P{index}")
        demo.walk(req, actors, paths[index % len(paths)])


def test_query_counts_stay_constant_from_10_to_1000(clients, actors, django_assert_num_queries):
    """Every dashboard figure is aggregated in the database."""
    pages = [
        (reverse("workflow:dashboard"), {}),
        (reverse("workflow:dashboard_export"), {"table": "steps", "format": "xlsx"}),
        (reverse("workflow:dashboard_export"), {"table": "units", "format": "xlsx"}),
        (reverse("workflow:dashboard_export"), {"table": "months", "format": "xlsx"}),
    ]

    def counts():
        result = []
        for url, query in pages:
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            clients["kadis"].get(url, query)  # warm the one-minute master-data cache
            with CaptureQueriesContext(connection) as captured:
                assert clients["kadis"].get(url, query).status_code == 200
            result.append(len(captured))
        return result

    _add_proposals(actors, 10, 0)
    clients["kadis"].get(pages[0][0])  # warm the master-data cache
    small = counts()
    # The page: session, user, roles with acting assignments; six figure queries and the
    # overdue rows; inbox total and unread notifications for the navigation.
    assert small[0] == 12
    _add_proposals(actors, 990, 10)
    assert counts() == small
    clients["kadis"].get(pages[0][0])
    with django_assert_num_queries(small[0]):
        clients["kadis"].get(pages[0][0])


def test_list_export_holds_the_same_rows_as_the_list(clients, make_request):
    ours = [make_request(State.RECEIVE), make_request(State.DESIGN)]
    url = reverse("requests_intake:list_export")
    response = clients["pemohon"].get(url, {"format": "xlsx", "state": "running"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    numbers = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    page = clients["pemohon"].get(reverse("requests_intake:list"), {"state": "running"})
    assert numbers == [r.registration_number for r in page.context["page"].object_list]
    assert sorted(numbers) == sorted(r.registration_number for r in ours)
    # the other unit exports nothing of ours
    other = clients["pemohon2"].get(url, {"format": "csv"})
    body = b"".join(other.streaming_content).decode("utf-8-sig")
    assert all(r.registration_number not in body for r in ours)
