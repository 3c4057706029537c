"""One bench run: build both databases, then every row (see ``tools.bench.__main__``)."""

from __future__ import annotations

import os
import platform
import sys
import time

from django.db import connections
from django.test import override_settings
from django.utils import timezone

from tools.bench import data, databases, documents, lifecycle, pages, throughput
from tools.bench.report import Row, spread


def _machine() -> str:
    memory = ""
    if hasattr(os, "sysconf") and "SC_PHYS_PAGES" in os.sysconf_names:
        memory = f", {os.sysconf('SC_PHYS_PAGES') * os.sysconf('SC_PAGE_SIZE') / 2**30:.0f} GiB"
    load = f", load {os.getloadavg()[0]:.1f} at start" if hasattr(os, "getloadavg") else ""
    return (
        f"{os.cpu_count()} CPUs{memory}{load}, {platform.system()} {platform.release()}, "
        f"Python {sys.version.split()[0]}"
    )


def _built(db: databases.Database, count: int) -> bool:
    """Whether ``db`` holds the ``count`` proposals the bench builds (those the transitions
    and documents rows add beside them, by the services, are not counted)."""
    with databases.use(db):
        built = data.proposal_model().objects.filter(
            created_by__username="bench-pemohon", registration_number__startswith="PB-"
        )
        return built.count() == count


def _build(dbs: dict, small: int, large: int, *, reuse: bool, write) -> None:
    if reuse and _built(dbs["small"], small) and _built(dbs["large"], large):
        write("reusing the databases of the last run")
        return
    for db in dbs.values():
        with databases.use(db):
            started = time.perf_counter()
            data.build(small)
            if db.label == "large":
                data.build(large - small, start=small, history=True)
            write(f"built {db.label}: {time.perf_counter() - started:.1f} s")
    for db in dbs.values():
        databases.analyze(db)


@override_settings(
    TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}},
    EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    DEBUG=False,
    ROOT_URLCONF="tools.bench.urls",
    ALLOWED_HOSTS=["testserver", "127.0.0.1", "localhost"],
)
def run(args, *, url: str, write=print) -> dict:
    started = time.perf_counter()
    dbs = databases.open_databases(url, fresh=not args.reuse)
    engine = dbs["small"].wrapper.vendor
    meta = {
        "engine": engine,
        "measured_at": timezone.now().strftime("%Y-%m-%d %H:%M UTC"),
        "machine": _machine(),
        "sizes": {"small": args.small, "large": args.large},
        "rounds": args.rounds,
        "quick": args.quick,
    }
    write(
        f"{engine}: {args.small:,} and {args.large:,} proposals "
        f"(migrated in {time.perf_counter() - started:.1f} s)"
    )
    clock = [time.perf_counter()]
    _build(dbs, args.small, args.large, reuse=args.reuse, write=write)
    rows: list[Row] = []

    def phase(text: str) -> None:
        now = time.perf_counter()
        write(f"{text} (previous phase {now - clock[0]:.1f} s)")
        clock[0] = now

    try:
        phase(f"pages, {args.rounds} rounds …")
        rows += pages.measure(dbs, rounds=args.rounds, write=write)
        phase(f"transitions, {args.transitions} proposals each way …")
        with databases.use(dbs["small"]):
            rows += lifecycle.measure(rounds=args.transitions, write=write)
            phase("documents …")
            rows += _documents(args.documents_rounds)
        phase(f"throughput, {args.throughput_rounds} rounds …")
        rows += throughput.measure(
            dbs["large"],
            rounds=args.throughput_rounds,
            seconds=args.throughput_seconds,
            workers=args.throughput_workers,
            write=write,
        )
        phase("done")
    finally:
        databases.close_all(dbs)
        connections[databases.DEFAULT_DB_ALIAS].close()
    return {**meta, "rows": rows}


def _documents(repeat: int) -> list[Row]:
    rows = []
    for result in documents.run(repeat=repeat):
        if "ratio" in result:
            rows.append(
                Row(
                    row=f"documents: {result['name']}",
                    value=result["ratio"],
                    goal=result["goal"].replace("<=", "≤") + "×",
                    passed=result["ok"],
                    base=spread(result["baseline_samples"]),
                    compared=spread(result["samples"]),
                )
            )
        else:
            rows.append(
                Row(
                    row=f"documents: {result['name']}",
                    value=result["seconds"] * 1000,
                    unit="ms",
                    passed=result["ok"],
                    goal="rendered",
                    note=f"{result['pages']} pages, {result['status']}",
                )
            )
    return rows
