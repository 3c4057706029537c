"""``make bench`` at a tiny size, so it cannot rot: every row, valid JSON, the README table."""

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tools.bench import report
from tools.bench.databases import NotScratch, scratch_names

ROOT = Path(__file__).resolve().parents[2]
KEYS = {"row", "value", "unit", "goal", "pass", "queries", "base", "compared", "note"}
SEARCHES = [
    f"searched by {by}, {kind}"
    for by in ("number", "application name", "unit name")
    for kind in ("common", "rare", "none")
]
EXPECTED = [
    "inbox (Kasi)",
    "list, page 1",
    "list, filtered",
    *SEARCHES,
    "list, page 40",
    "proposal page",
    "dashboard, last 12 months",
    "dashboard, all years",
    "our list vs the admin changelist @ 20 ",
    "our list vs the admin changelist @ 60 ",
    "peak Python memory",
    "a transition vs the floor, CPU time",
    "a transition vs the floor, wall time",
    "SQL statements per transition",
    "commits per transition",
    "documents: checkpoint document",
    "documents: download archived document",
    "documents: rekam jejak",
    "throughput on gunicorn: list, page 1",
    "throughput on gunicorn: proposal page",
]


def test_the_quick_bench_writes_every_row_as_json(tmp_path):
    out = tmp_path / "bench.json"
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'bench.sqlite3'}")
    done = subprocess.run(  # noqa: S603 (fixed arguments)
        [sys.executable, "-m", "tools.bench", "--quick", "--json", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    document = json.loads(out.read_text())
    assert document["engine"] == "sqlite" and document["quick"] is True
    assert document["sizes"] == {"small": 20, "large": 60}
    rows = document["rows"]
    for fragment in EXPECTED:
        assert [row for row in rows if fragment in row["row"]], fragment
    for row in rows:
        assert set(row) == KEYS, row["row"]
        assert math.isfinite(row["value"]) and row["value"] > 0, row
        assert row["pass"] in (True, False, None)
        assert (row["goal"] is None) == (row["pass"] is None), row["row"]
    pages = [row for row in rows if row["row"].startswith("list, page 1:")]
    assert pages[0]["queries"] and pages[0]["base"]["n"] == 1
    throughput = [row for row in rows if row["row"].startswith("throughput")]
    assert all(row["base"]["unit"] == "req/s" and row["base"]["median"] > 0 for row in throughput)
    # both databases were really built: the large one holds three times the proposals
    assert "20 → 60" in pages[0]["row"]
    # the scratch databases, not the one named, were written
    assert (tmp_path / "bench_small.sqlite3").exists()
    assert not (tmp_path / "bench.sqlite3").exists()

    readme = tmp_path / "README.md"
    readme.write_text("before\n<!-- bench:sqlite -->\nold\n<!-- /bench:sqlite -->\nafter\n")
    report.rewrite_readme([document], readme)
    text = readme.read_text()
    assert "old" not in text and text.startswith("before\n") and text.endswith("after\n")
    table = [line for line in text.splitlines() if line.startswith("|")]
    assert len(table) == len(rows) + 2  # header, rule, one line per row


def test_the_bench_refuses_a_database_that_is_not_scratch(tmp_path):
    with pytest.raises(NotScratch):
        scratch_names(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    with pytest.raises(NotScratch):
        scratch_names("postgres://postgres@127.0.0.1:5432/sopapp")
    names = scratch_names("postgres://postgres@127.0.0.1:5432/sopapp_bench")
    assert names["small"] == (
        "sopapp_bench_small",
        "postgres://postgres@127.0.0.1:5432/sopapp_bench_small",
    )
    assert names["large"][0] == "sopapp_bench_large"
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    done = subprocess.run(  # noqa: S603 (fixed arguments)
        [sys.executable, "-m", "tools.bench", "--quick"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "bench" in done.stderr
    assert not list(tmp_path.iterdir())
