"""Property-based test (hypothesis): whatever query string anyone puts on a list, the inbox,
the dashboard, the notifications, the public verification page or an export, the answer is
never a server error, and an export either holds the rows the page would list or is refused
with the page and its message — never a silently empty file.

Runs on SQLite and on PostgreSQL (``DATABASE_URL``), where NUL characters and dates at the
end of the calendar used to end in a 500.
"""

import datetime
import os
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.properties import property_settings
from workflow.states import State

FAST = property_settings(int(os.environ.get("SOPAPP_QUERY_EXAMPLES", "60")))

TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs"]) | st.sampled_from("\x00\r\n\t%&=+#"),
    max_size=40,
)
DATES = (
    st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31)).map(
        datetime.date.isoformat
    )
    | st.sampled_from(["9999-12-31", "0001-01-01", "2026-02-30", "31/12/2025", "2026-13-01"])
    | TEXT
)
NUMBERS = st.integers(min_value=-(10**20), max_value=10**20).map(str) | st.sampled_from(
    ["", "0", "1", "2", "1e9", "3.5", "0x10", "١٢", "\x00", "9" * 400]
)
STATES = st.sampled_from([*State.values, "running", "RUNNING", ""]) | TEXT

PARAMETERS = {
    "q": TEXT | st.sampled_from(["\x00", "a\x00b", "%00", "skpd", "x" * 500]),
    "state": STATES,
    "unit": NUMBERS,
    "year": NUMBERS,
    "page": NUMBERS,
    "format": st.sampled_from(["csv", "xlsx", "pdf", "", "\x00"]) | TEXT,
    "date_from": DATES,
    "date_to": DATES,
    "table": st.sampled_from(["steps", "months", "units", "overdue", "", "x"]) | TEXT,
    "kode": st.sampled_from(["7KQ2-M9XD", "\x00", ""]) | TEXT,
}


def query_strings():
    """Known parameter names with hostile values, repeated keys and unknown names too."""
    pairs = st.lists(
        st.one_of(
            st.sampled_from(sorted(PARAMETERS)).flatmap(
                lambda name: PARAMETERS[name].map(lambda value: (name, value))
            ),
            st.tuples(TEXT, TEXT),
        ),
        max_size=6,
    )
    return pairs.map(urlencode)


# (url name, roles that can see it); the exports are checked for a complete body too.
PAGES = [
    ("requests_intake:list", ("pemohon", "kasi", "kabid", "kadis", "prakom", "admin")),
    ("requests_intake:list_export", ("pemohon", "kasi", "kadis", "prakom")),
    ("workflow:inbox", ("pemohon", "kasi", "kabid", "kadis", "prakom")),
    ("workflow:notifications", ("pemohon", "kasi")),
    ("workflow:dashboard", ("kasi", "kabid", "kadis", "admin")),
    ("workflow:dashboard_export", ("kasi", "kadis", "admin")),
    ("reports:verify", ("anon", "pemohon")),
    ("health", ("anon",)),
]
TARGETS = [(name, role) for name, roles in PAGES for role in roles]


@pytest.fixture
def proposals(make_request, actors):
    """A few proposals in different states, with notifications, so lists are not empty."""
    return [make_request(state) for state in ("draft", State.DECISION, State.DESIGN)]


def _fetch(client, url):
    response = client.get(url)
    # A streamed export fails only while its body is read: read it here.
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "role"), TARGETS)
def test_no_query_string_gives_a_server_error(url_name, role, proposals, clients, anon, settings):
    settings.SOPAPP_VERIFY_LIMIT_PER_MINUTE = 10_000  # the limit is tested on its own
    client = anon if role == "anon" else clients[role]
    path = reverse(url_name)

    @FAST
    @given(query=query_strings())
    def get_anything(query):
        response, body = _fetch(client, f"{path}?{query}")
        assert response.status_code < 500 or url_name == "health", (query, response.status_code)
        if url_name.endswith("_export") and response.status_code == 200:
            assert response["Content-Disposition"].startswith("attachment")
        if url_name == "health":
            assert response.status_code == 200

    get_anything()


# --- the values found by hand ---------------------------------------------------------------

NUL_MESSAGE = "Karakter nol (NUL) tidak diperbolehkan."
DATE_MESSAGE = "Tanggal harus antara 1 Januari 2000 dan 31 Desember 2100."


@pytest.mark.django_db
@pytest.mark.parametrize("extra", [{}, {"page": "2"}])
def test_a_nul_in_the_search_is_refused_with_a_message(clients, proposals, extra):
    response = clients["kasi"].get(reverse("requests_intake:list"), {"q": "a\x00", **extra})
    assert response.status_code == 200
    assert NUL_MESSAGE in response.content.decode()
    # the refused value is neither used nor carried into the export links
    assert response.context["filters"].q == ""
    assert "%00" not in response.context["query_string"]


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_with_a_refused_filter_is_not_a_silently_empty_file(clients, proposals, fmt):
    url = reverse("requests_intake:list_export")
    response = clients["kasi"].get(url, {"q": "\x00", "format": fmt})
    assert response.status_code == 400
    assert "Content-Disposition" not in response
    html = response.content.decode()
    assert NUL_MESSAGE in html and "Berkas unduhan tidak dibuat" in html
    bad_format = clients["kasi"].get(url, {"format": "pdf"})
    assert bad_format.status_code == 400
    assert "Pilih format CSV atau XLSX." in bad_format.content.decode()


@pytest.mark.django_db
def test_dates_at_the_end_of_the_calendar_are_refused_with_a_message(clients, proposals):
    page = clients["kadis"].get(reverse("workflow:dashboard"), {"date_to": "9999-12-31"})
    assert page.status_code == 200
    assert DATE_MESSAGE in page.content.decode()
    for table in ("steps", "months", "units", "overdue"):
        export = clients["kadis"].get(
            reverse("workflow:dashboard_export"), {"date_to": "9999-12-31", "table": table}
        )
        assert export.status_code == 400 and "Content-Disposition" not in export
        alert = export.content.decode().split('id="query-errors"')[1].split("</div>")[0]
        assert "Berkas unduhan tidak dibuat" in alert and DATE_MESSAGE in alert


@pytest.mark.django_db
def test_a_period_longer_than_five_years_from_one_date_alone_is_refused(clients, proposals):
    page = clients["kadis"].get(reverse("workflow:dashboard"), {"date_from": "2000-01-01"})
    assert "Periode paling panjang lima tahun." in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["workflow:inbox", "workflow:notifications"])
def test_a_bad_page_number_is_named_and_the_first_page_shown(clients, proposals, url_name):
    response = clients["kasi"].get(reverse(url_name), {"page": "\x00"})
    assert response.status_code == 200
    assert "Nomor halaman harus bilangan bulat positif." in response.content.decode()
    assert response.context["page"].number == 1


@pytest.mark.django_db
def test_a_malformed_code_in_the_address_is_explained(anon):
    response = anon.get(reverse("reports:verify"), {"kode": "\x00abc"})
    assert response.status_code == 400
    assert "Karakter null tidak diizinkan." in response.content.decode()
