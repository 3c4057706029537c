"""``make bench`` (``python -m tools.bench``): how the application holds up as proposals grow.

Two scratch databases (see ``tools.bench.databases``) get the same 1,000 proposals of the
last twelve months; the large one then 99,000 more from earlier years. After ``ANALYZE`` on
both, every page is measured on both, alternately, round after round (``tools.bench.pages``);
then a transition against its floor (``lifecycle``), the documents (``documents``) and the
throughput on gunicorn (``throughput``). The table is printed and written as JSON to
``var/bench.json`` (and ``var/bench-ENGINE.json``, from which ``python -m tools.bench.report``
rewrites the README's tables). ``--quick`` runs every row at a tiny size, for the tests.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tools.bench", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=15, help="rounds of the page comparisons")
    parser.add_argument("--transitions", type=int, default=15, help="proposals walked each way")
    parser.add_argument("--throughput-rounds", type=int, default=5)
    parser.add_argument("--throughput-seconds", type=float, default=2.0)
    parser.add_argument(
        "--throughput-workers", type=int, help="gunicorn workers (default: its configuration's)"
    )
    parser.add_argument("--documents-rounds", type=int, default=9)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the two databases of the last run if they hold the asked sizes",
    )
    parser.add_argument(
        "--quick", action="store_true", help="every row at a tiny size (tests; figures mean little)"
    )
    parser.add_argument("--json", type=Path, default=ROOT / "var" / "bench.json")
    args = parser.parse_args(argv)
    if args.quick:
        args.small, args.large, args.rounds, args.transitions = 20, 60, 1, 1
        args.throughput_rounds, args.throughput_seconds, args.documents_rounds = 1, 0.5, 1
        args.throughput_workers = args.throughput_workers or 2
    if args.small < 1 or args.large <= args.small:
        parser.error("--large must be greater than --small (both positive)")
    if min(args.rounds, args.transitions, args.throughput_rounds, args.documents_rounds) < 1:
        parser.error("every number of rounds must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sopapp.settings")
    url = os.environ.get("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
    os.environ["DATABASE_URL"] = url
    # The throughput server checks the sessions this process writes: one secret for both.
    from sopapp.serve import local_secret_key

    os.environ["DJANGO_SECRET_KEY"] = local_secret_key()

    import django

    django.setup()

    from tools.bench.databases import NotScratch
    from tools.bench.run import run

    started = time.perf_counter()
    try:
        document = run(args, url=url, write=lambda line: print(line, flush=True))
    except NotScratch as exc:
        print(
            f"Refusing to benchmark in {exc}: DATABASE_URL must name a scratch database "
            "whose name contains 'bench' (make bench does); it and its _small and _large "
            "siblings are dropped and recreated.",
            file=sys.stderr,
        )
        return 2
    document["seconds"] = time.perf_counter() - started

    from tools.bench import report

    rows = document.pop("rows")
    written = report.write_json(args.json, document, rows)
    if args.json == ROOT / "var" / "bench.json":
        report.write_json(args.json.with_name(f"bench-{document['engine']}.json"), document, rows)
    print()
    print(report.describe(written) + ":")
    print(report.table(written))
    print(f"\nwritten to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
