"""The list's search uses the engines' substring indexes and finds exactly what a scan finds."""

import pytest
from django.db import connection
from django.db.models import Q
from hypothesis import given
from hypothesis import strategies as st

from requests_intake import services
from requests_intake.models import ApplicationRequest, PerangkatDaerah
from tests.properties import property_settings
from workflow import demo
from workflow import services as workflow_services
from workflow.selectors import ListFilters, request_list, request_rows

APP_NAMES = [
    "Sistem Informasi Arsip",
    "SIMPEG Kepegawaian",
    "Aplikasi Layanan Éducation",
    "aplikasi layanan éducation",
    "Straße & Jalan 50% Data_Induk",
    'Katalog "Data" Terbuka',
    "Dasbor İstanbul ıı",
]
LETTERS = ["027/123/2026", "005/ABC/Dinkes", "800/ÄÖÜ/2025", "x"]
UNIT_NAMES = [("BPKAD", "Badan Pengelolaan Keuangan", "BPKAD"), ("DÉS", "Dinas Éduqué", "Éduqué")]


def reference(user, q: str) -> list[int]:
    """The search as a plain scan: every word anywhere in any searched field."""
    from workflow.selectors import _UNIT_SYNONYMS

    qs = ApplicationRequest.objects.visible_to(user)
    for word in _UNIT_SYNONYMS.sub(" ", q).strip().split()[:6]:
        qs = qs.filter(
            Q(registration_number__icontains=word)
            | Q(app_name__icontains=word)
            | Q(unit__name__icontains=word)
            | Q(unit__short_name__icontains=word)
            | Q(unit__code__iexact=word)
            | Q(letter_number__icontains=word)
        )
    return list(qs.order_by("-created_at", "-pk").values_list("pk", flat=True))


def found(user, q: str) -> list[int]:
    return list(request_list(user, ListFilters(q=q)).values_list("pk", flat=True))


@pytest.fixture
def catalogue(actors, users):
    """Proposals of two units with awkward names; some submitted, one edited, one deleted."""
    for code, name, short in UNIT_NAMES:
        PerangkatDaerah.objects.create(code=code, name=name, short_name=short)
    other = {**actors, "pemohon": users["pemohon2"]}
    created = []
    for index, app_name in enumerate(APP_NAMES):
        people = actors if index % 2 == 0 else other
        req = demo.create_draft(
            people, app_name=app_name, letter_number=LETTERS[index % len(LETTERS)]
        )
        if index % 3 != 2:
            req = demo.walk(req, people, ("submit",))
        created.append(req)
    draft = demo.create_draft(actors, app_name="Nama Lama Sekali", letter_number="111/LAMA")
    services.request_update_draft(
        actor=actors["pemohon"],
        request_id=draft.pk,
        revision=None,
        data=demo.proposal_data(app_name="Nama Baru Sekali", letter_number="222/BARU"),
        letter_file=None,
    )
    gone = demo.create_draft(actors, app_name="Akan Dihapus Arsip")
    workflow_services.proposal_delete_draft(actor=actors["pemohon"], proposal_id=gone.pk)
    return created


# Pieces of what is stored, so that many drawn searches find something.
PIECES = [
    "arsip",
    "ARSIP",
    "simpeg",
    "éducation",
    "ÉDUCATION",
    "educ",
    "straße",
    "STRASSE",
    "50%",
    "_induk",
    "data_",
    '"data"',
    'g "d',
    "İstanbul",
    "istanbul",
    "ıı",
    "027/123",
    "äöü",
    "ÄÖÜ",
    "dinkes",
    "DINKES",
    "kesehatan",
    "Éduqué",
    "éduqué",
    "bpkad",
    "des",
    "opd",
    "skpd",
    "pa-",
    "-0",
    "lama",
    "baru",
    "dihapus",
    "x",
    "ap",
    "zzz",
    "d",  # in every unit's name: narrows nothing
    "D",
]


@pytest.mark.django_db
@property_settings(60)
@given(
    words=st.lists(
        st.one_of(
            st.sampled_from(PIECES),
            st.text(alphabet='aAeÉéiıIİsSß%_"/-0123 ', min_size=1, max_size=6),
        ),
        min_size=1,
        max_size=3,
    ),
    who=st.sampled_from(["kasi", "pemohon", "pemohon2"]),
)
def test_the_search_finds_exactly_what_a_scan_finds(catalogue, users, words, who):
    q = " ".join(words)
    expected = reference(users[who], q)
    assert found(users[who], q) == expected
    # The form a long list's page is read from (in date order, no index narrowing) too.
    rows = request_rows(users[who], ListFilters(q=q))
    assert list(rows.in_order.values_list("pk", flat=True)) == expected


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("arsip", ["Sistem Informasi Arsip"]),
        ("baru", ["Nama Baru Sekali"]),
        ("lama", []),  # the edit replaced the old name in the index
        ("dihapus", []),  # and the deleted draft left it
        ("kesehatan simpeg", []),
        ("dinkes arsip", ["Sistem Informasi Arsip"]),
    ],
)
def test_edits_and_deletions_reach_the_index(catalogue, users, q, expected):
    rows = request_list(users["pemohon"], ListFilters(q=q))
    assert [req.app_name for req in rows] == expected


def test_a_word_in_every_unit_name_narrows_nothing(catalogue, users):
    assert set(PerangkatDaerah.objects.values_list("pk", flat=True)) == set(
        PerangkatDaerah.objects.filter(name__icontains="d").values_list("pk", flat=True)
    )
    assert (
        found(users["kasi"], "d") == reference(users["kasi"], "d") == reference(users["kasi"], "")
    )


def test_one_registration_number_finds_its_proposal(catalogue, users):
    number = catalogue[0].registration_number
    assert number
    rows = request_list(users["kasi"], ListFilters(q=number.lower()))
    assert [req.pk for req in rows] == [catalogue[0].pk]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the full-text table is SQLite's")
def test_the_sqlite_search_narrows_through_the_full_text_index(catalogue, users):
    sql = str(request_list(users["kasi"], ListFilters(q="arsip")).query)
    assert "requests_intake_search MATCH" in sql
    assert "requests_intake_perangkatdaerah" in sql  # only the select_related join …
    assert '"requests_intake_perangkatdaerah"."name" LIKE' not in sql  # … not in the WHERE


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the full-text table is SQLite's")
def test_the_sqlite_search_joins_the_index_and_reads_in_order_without_it(catalogue, users):
    rows = request_rows(users["kasi"], ListFilters(q="arsip straße"))
    found_sql, in_order_sql = str(rows.found.query), str(rows.in_order.query)
    # Joined, so a count stopping at the cap stops reading the index: '"arsip" AND "straße"'.
    assert ', "requests_intake_search"' in found_sql
    assert found_sql.count("MATCH") == 1
    # Sorted after gathering: the date index is no use to it.
    assert 'ORDER BY +"requests_intake_applicationrequest"."created_at" DESC' in found_sql
    assert "MATCH" not in in_order_sql
    assert 'ORDER BY "requests_intake_applicationrequest"."created_at" DESC' in in_order_sql


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the full-text table is SQLite's")
def test_a_word_naming_most_units_is_not_looked_up(catalogue, users):
    named = PerangkatDaerah.objects.filter(name__icontains="dinas").count()
    assert named * 2 > PerangkatDaerah.objects.count()
    assert "MATCH" not in str(request_list(users["kasi"], ListFilters(q="dinas")).query)
    # A word naming few units is looked up beside them.
    assert "MATCH" in str(request_list(users["kasi"], ListFilters(q="bpkad")).query)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")
def test_the_postgresql_search_can_use_the_trigram_indexes(catalogue, users):
    qs = request_list(users["kasi"], ListFilters(q="arsip"))
    with connection.cursor() as cursor:
        # A handful of rows: the planner would rightly scan them. Forbid that to see the
        # indexes fit the query's expressions.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = qs.explain()
    for column in ("registration_number", "app_name", "letter_number"):
        assert f"req_{column}_trgm" in plan, plan
