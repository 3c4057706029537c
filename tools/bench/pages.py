"""Pages at 1,000 and at 100,000 proposals, and our list against the Django admin changelist.

Every page is requested through Django's test client, so it pays the whole middleware stack
(sessions, authentication, CSRF, CSP, messages) as in production; the admin changelist goes
through the same client and middleware (``tools.bench.urls`` mounts it), with its default
``show_full_result_count``. One round requests every page once on each database, the order
of the two databases alternating from round to round, so a drift of the machine hits both
sides of every ratio alike.
"""

from __future__ import annotations

import datetime
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tools.bench import data
from tools.bench.databases import Database, switch
from tools.bench.report import Row, spread
from workflow.states import State

PAGE_RATIO_GOAL = 1.5
QUERY_GOAL = 12


@dataclass
class Page:
    key: str
    label: str
    role: str
    url: str
    query: dict = field(default_factory=dict)
    max_rounds: int | None = None  # the slow informational page is measured fewer times
    informational: bool = False


def pages() -> list[Page]:
    year = timezone.now().year
    list_url = reverse("requests_intake:list")
    proposal = data.proposal_model().objects.filter(state=State.COMPLETED).order_by("pk").first()
    unit = data.units()[1]
    searches = [
        ("number", "common", f"PB-{year}"),
        ("number", "rare", data.registration_number(data.RARE)),
        ("number", "none", "PB-1999-999999"),
        ("application name", "common", "Arsip"),
        ("application name", "rare", data.app_name(data.RARE).removeprefix("Sistem Informasi ")),
        ("application name", "none", "Zzyzx"),
        ("unit name", "common", "Bench 1"),
        ("unit name", "rare", data.RARE_UNIT.split()[-1]),
        ("unit name", "none", "Dinas Zzyzx"),
    ]
    last_year = (timezone.localdate() - datetime.timedelta(days=365)).isoformat()
    return [
        Page("inbox", "inbox (Kasi)", "kasi", reverse("workflow:inbox")),
        Page("list", "list, page 1", "kasi", list_url),
        Page(
            "admin", "admin changelist", "admin", "/bench-admin/requests_intake/applicationrequest/"
        ),
        Page(
            "filtered",
            "list, filtered (running, one unit)",
            "kasi",
            list_url,
            {"state": "running", "unit": unit.pk},
        ),
        *(
            Page(
                f"search-{by}-{kind}",
                f'list, searched by {by}, {kind} ("{term}")',
                "kasi",
                list_url,
                {"q": term},
            )
            for by, kind, term in searches
        ),
        Page("page40", "list, page 40", "kasi", list_url, {"page": 40}),
        Page("proposal", "proposal page (Kasi)", "kasi", proposal.get_absolute_url()),
        Page(
            "dashboard",
            "dashboard, last 12 months (default view)",
            "kadis",
            reverse("workflow:dashboard"),
            {"date_from": last_year},
        ),
        Page(
            "dashboard-all",
            "dashboard, all years",
            "kadis",
            reverse("workflow:dashboard"),
            {"date_from": "2000-01-01"},
            max_rounds=3,
            informational=True,
        ),
    ]


def _clients(dbs: dict[str, Database]) -> dict[tuple[str, str], Client]:
    clients = {}
    for db in dbs.values():
        switch(db)
        people = data.people()
        for role in ("kasi", "kadis", "admin"):
            client = Client()
            client.force_login(people[role])
            clients[db.label, role] = client
    return clients


def _call(client: Client, page: Page) -> Callable[[], object]:
    def call():
        response = client.get(page.url, page.query)
        if response.status_code != 200:
            raise RuntimeError(f"{page.url} {page.query} answered {response.status_code}")
        return response

    return call


def _queries(fn: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured)


def measure(dbs: dict[str, Database], *, rounds: int, write=print) -> list[Row]:
    small, large = dbs["small"], dbs["large"]
    switch(small)
    page_list = pages()
    clients = _clients(dbs)
    calls = {
        (page.key, db.label): _call(clients[db.label, page.role], page)
        for page in page_list
        for db in (small, large)
    }
    queries = {}
    for (key, label), call in calls.items():
        switch(dbs[label])
        call()  # warm up: templates, connection, master-data cache
        queries[key, label] = _queries(call)
    samples: dict[tuple[str, str], list[float]] = {key: [] for key in calls}
    for number in range(rounds):
        order = (small, large) if number % 2 == 0 else (large, small)
        for page in page_list:
            if page.max_rounds is not None and number >= page.max_rounds:
                continue
            for db in order:
                switch(db)
                call = calls[page.key, db.label]
                started = time.perf_counter()
                call()
                samples[page.key, db.label].append(time.perf_counter() - started)
        write(f"  round {number + 1}/{rounds}")
    switch(large)
    tracemalloc.start()
    calls["list", "large"]()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    counts = {}
    for db in (small, large):
        switch(db)
        counts[db.label] = data.proposal_model().objects.count()
    sizes = f"{counts['small']:,} → {counts['large']:,}"
    rows = []
    for page in page_list:
        if page.key == "admin":
            continue
        before, after = samples[page.key, "small"], samples[page.key, "large"]
        ratio = spread(after)["median"] / spread(before)["median"]
        counted = (queries[page.key, "small"], queries[page.key, "large"])
        missed = []
        if not page.informational and ratio > PAGE_RATIO_GOAL:
            missed.append(f"ratio above {PAGE_RATIO_GOAL}×")
        if not page.informational and max(counted) > QUERY_GOAL:
            missed.append(f"{max(counted)} queries, more than {QUERY_GOAL}")
        rows.append(
            Row(
                row=f"{page.label}: {sizes}",
                value=ratio,
                unit="×",
                goal=None
                if page.informational
                else f"≤ {PAGE_RATIO_GOAL}× and ≤ {QUERY_GOAL} queries",
                passed=None if page.informational else not missed,
                queries=f"{counted[0]} → {counted[1]}",
                base=spread(before),
                compared=spread(after),
                note="; ".join(missed),
            )
        )
    for db in (small, large):
        ours, theirs = samples["list", db.label], samples["admin", db.label]
        ratio = spread(ours)["median"] / spread(theirs)["median"]
        rows.append(
            Row(
                row=f"our list vs the admin changelist @ {counts[db.label]:,} (ours / admin)",
                value=ratio,
                unit="×",
                goal="≤ 1.0×",
                passed=ratio <= 1.0,
                queries=f"ours {queries['list', db.label]}, admin {queries['admin', db.label]}",
                base=spread(theirs),
                compared=spread(ours),
            )
        )
    rows.append(
        Row(
            row=f"peak Python memory serving the list @ {counts['large']:,}",
            value=peak / 1024 / 1024,
            unit="MiB",
            note="tracemalloc",
        )
    )
    return rows
