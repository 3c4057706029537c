"""A bounded load test: ``make load`` (not part of ``make test``).

Starts gunicorn and the document worker in production mode against a PostgreSQL database
of its own (``sopapp_load``, recreated each run), then lets simulated people — Locust users,
``tools/load`` — work the SOP through the web pages for a fixed time, on the loopback
interface only, and stops by itself. At the end it checks that nothing was lost: every
transition a person saw succeed is in the database, every log chain verifies, and no request
got a 5xx. It prints requests/s and latency percentiles (Locust's), and exits non-zero on any
5xx, failed request or lost transition.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

from sopapp.serve import BASE_DIR, ensure_database, prepare, production_env, running
from tools.load import prepare as load_prepare
from tools.load.run import read_tally, start_locust

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/sopapp_load"
ROLES_MIX = {"pemohon": 15, "kasi": 7, "kabid": 7, "kadis": 7, "prakom": 14}


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    except OSError:
        memory_kb = 0
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{cpu}, {os.cpu_count()} CPUs, {memory_kb / 1024 / 1024:.0f} GB RAM, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}, "
        f"load average before the run {load:.1f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60, help="seconds of load")
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--workers", type=int, help="gunicorn workers (default 2 × CPUs + 1)")
    parser.add_argument("--think", type=float, nargs=2, default=(0.3, 1.2), metavar=("MIN", "MAX"))
    parser.add_argument("--database", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    if not args.database.startswith(("postgres://", "postgresql://")):
        parser.error("the load test runs against PostgreSQL")

    work = BASE_DIR / "var" / "load"
    work.mkdir(parents=True, exist_ok=True)
    env = production_env(
        host="127.0.0.1",
        port=args.port,
        database_url=args.database,
        SOPAPP_MEDIA_ROOT=str(work / "media"),
        SOPAPP_STATIC_ROOT=str(work / "static"),
        SOPAPP_ACCESS_LOG=str(work / "access.log"),
    )
    print(f"Preparing {args.database} (recreated) …", flush=True)
    ensure_database(args.database, recreate=True)
    prepare(env)
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sopapp.settings")
    import django

    django.setup()
    from django.db import connections

    mix = {
        role: max(1, round(args.users * n / sum(ROLES_MIX.values())))
        for role, n in ROLES_MIX.items()
    }
    mix["prakom"] += args.users - sum(mix.values())
    people = load_prepare.seed(mix)
    scratch = Path(tempfile.mkdtemp(prefix="sopapp-load-", dir=work))
    script, tally_path = scratch / "script.json", scratch / "tally.json"
    load_prepare.write_script(script, people)
    connections.close_all()
    machine_line = machine()

    with (
        (work / "server.log").open("w") as log,
        (work / "locust.log").open("w") as locust_log,
        running(env, host="127.0.0.1", port=args.port, workers=args.workers, log=log) as (
            base,
            _processes,
        ),
    ):
        print(f"{len(people)} people working for {args.duration:.0f} s …", flush=True)
        locust = start_locust(
            script=script,
            tally=tally_path,
            hosts=[base],
            users=len(people),
            seconds=args.duration,
            think=tuple(args.think),
            log=locust_log,
        )
        locust.wait(timeout=args.duration + 180)
        time.sleep(1)
    tally = read_tally(tally_path)
    figures = load_prepare.check_database(tally["taken"])
    server_errors = sum(tally["server_errors"].values())
    result = {
        "machine": machine_line,
        "users": mix,
        "seconds": tally["seconds"],
        "requests": tally["requests"],
        "requests/s": tally["requests/s"],
        "p50 ms": tally["p50 ms"],
        "p95 ms": tally["p95 ms"],
        "p99 ms": tally["p99 ms"],
        "5xx": server_errors,
        "failed requests": tally["error_count"],
        "outcomes": tally["outcomes"],
        "database": figures,
        "per request": tally["per request"],
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))
    for error in tally["errors"][:20]:
        print("error:", error, file=sys.stderr)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2, ensure_ascii=False))
    lost = figures["lost (seen, not stored)"] or figures["log chain problems"]
    return 1 if server_errors or tally["error_count"] or lost else 0


if __name__ == "__main__":
    sys.exit(main())
