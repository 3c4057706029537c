"""The bench's rows: ``var/bench.json`` for programs, a Markdown table for people and the README.

``python -m tools.bench.report [FILE …]`` rewrites the tables in README.md between the
markers ``<!-- bench:ENGINE -->`` and ``<!-- /bench:ENGINE -->`` from the JSON files
(default: ``var/bench-sqlite.json`` and ``var/bench-postgresql.json``, whichever exist).
"""

from __future__ import annotations

import json
import re
import statistics
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"


@dataclass
class Row:
    row: str
    value: float
    unit: str = "×"  # "×" for a ratio; otherwise what ``value`` counts
    goal: str | None = None
    passed: bool | None = None  # None: informational, no goal
    queries: str | None = None
    base: dict | None = None  # {"median", "min", "max", "n"} in milliseconds
    compared: dict | None = None
    note: str = ""

    def as_json(self) -> dict:
        found = asdict(self)
        found["pass"] = found.pop("passed")
        return found


def spread(seconds: list[float]) -> dict:
    """Median, min and max in milliseconds."""
    return {
        "median": statistics.median(seconds) * 1000,
        "min": min(seconds) * 1000,
        "max": max(seconds) * 1000,
        "n": len(seconds),
    }


def write_json(path: Path, meta: dict, rows: list[Row]) -> dict:
    document = {**meta, "rows": [row.as_json() for row in rows]}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n")
    return document


def _ms(cell: dict | None, unit: str = "ms") -> str:
    if not cell:
        return ""
    if cell.get("unit"):
        unit = cell["unit"]
    median, low, high = cell["median"], cell["min"], cell["max"]
    digits = 0 if median >= 100 else 1 if median >= 1 else 2
    return f"{median:,.{digits}f} {unit} ({low:,.{digits}f}–{high:,.{digits}f})"


def _value(row: dict) -> str:
    value = row["value"]
    text = f"{value:.2f}{row['unit']}" if row["unit"] == "×" else f"{value:,.1f} {row['unit']}"
    return text


def table(document: dict) -> str:
    lines = [
        "| row | base | compared | value | goal | pass | queries | note |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in document["rows"]:
        verdict = {True: "yes", False: "**no**", None: "—"}[row["pass"]]
        cells = [
            row["row"],
            _ms(row["base"]),
            _ms(row["compared"]),
            _value(row),
            row["goal"] or "—",
            verdict,
            row["queries"] or "",
            row["note"],
        ]
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines)


def describe(document: dict) -> str:
    return (
        f"{document['engine']}, {document['sizes']['small']:,} and "
        f"{document['sizes']['large']:,} proposals, {document['rounds']} rounds, "
        f"measured {document['measured_at']} ({document['seconds']:.0f} s in all; "
        f"{document['machine']})"
    )


def rewrite_readme(documents: list[dict], readme: Path = README) -> str:
    text = readme.read_text()
    for document in documents:
        engine = document["engine"]
        begin, end = f"<!-- bench:{engine} -->", f"<!-- /bench:{engine} -->"
        pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.DOTALL)
        if not pattern.search(text):
            raise SystemExit(f"README.md has no {begin} … {end} markers")
        block = f"{begin}\n{describe(document)}:\n\n{table(document)}\n{end}"
        text = pattern.sub(lambda _match, block=block: block, text)
    readme.write_text(text)
    return text


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    files = [Path(a) for a in args] or [
        path
        for path in (ROOT / "var" / "bench-sqlite.json", ROOT / "var" / "bench-postgresql.json")
        if path.exists()
    ]
    if not files:
        print("no bench results: run `make bench` first", file=sys.stderr)
        return 1
    rewrite_readme([json.loads(path.read_text()) for path in files])
    print(f"README.md: tables rewritten from {', '.join(str(f) for f in files)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
