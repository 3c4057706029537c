"""Starting Locust (headless, in its own process: it patches the standard library with
gevent, which a Django process must not share) and reading what its people saw."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOCUSTFILE = Path(__file__).with_name("locustfile.py")


def start_locust(
    *,
    script: Path,
    tally: Path,
    hosts: list[str],
    users: int,
    seconds: float,
    think: tuple[float, float],
    log,
    down: Path | None = None,
) -> subprocess.Popen:
    env = dict(
        os.environ,
        SOPAPP_LOAD_SCRIPT=str(script),
        SOPAPP_LOAD_TALLY=str(tally),
        SOPAPP_LOAD_HOSTS=",".join(hosts),
        SOPAPP_LOAD_THINK=f"{think[0]},{think[1]}",
        PYTHONPATH=str(ROOT),
        SOPAPP_LOAD_DOWN=str(down or ""),
    )
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.Popen(  # noqa: S603 (fixed arguments, loopback hosts)
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(LOCUSTFILE),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            "10",
            "--run-time",
            f"{int(seconds)}s",
            "--stop-timeout",
            "60",
            "--host",
            hosts[0],
            "--only-summary",
            "--exit-code-on-error",
            "0",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )


def read_tally(path: Path) -> dict:
    if not path.exists():
        raise RuntimeError("Locust ended without writing what its people saw (see its log)")
    return json.loads(path.read_text())
