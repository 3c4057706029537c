"""Requests per second on gunicorn in production mode: our pages against ``/health/``.

One gunicorn (``sopapp/gunicorn.conf.py``, its default workers unless ``--throughput-workers``,
``DJANGO_DEBUG=False``) serves
the large database. Four client threads request one URL as fast as it answers for a few
seconds; ``/health/``, the list and the proposal page take turns, round after round, and each
page's figure is the median of its rounds divided by the median of ``/health/``'s — the same
server, the same concurrency, the same moments. The client runs on the same machine as the
server (and its database), so it takes its share of the CPUs from both sides alike.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.conf import settings
from django.test import Client
from django.urls import reverse

from sopapp.serve import manage, production_env
from tools.bench import data
from tools.bench.databases import Database, switch
from tools.bench.report import Row
from workflow.states import State

ROOT = Path(__file__).resolve().parents[2]
CONCURRENCY = 4
GOALS = {"list": 0.4, "proposal": 0.3}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _hammer(port: int, path: str, cookie: str, seconds: float) -> tuple[float, int]:
    """Requests per second answered 200 by ``CONCURRENCY`` clients, and the other answers."""
    deadline = time.monotonic() + seconds
    counts = {"ok": 0, "other": 0}
    lock = threading.Lock()

    def client():
        while time.monotonic() < deadline:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            try:
                conn.request("GET", path, headers={"Cookie": cookie})
                response = conn.getresponse()
                response.read()
                status = response.status
            except OSError:
                status = 0
            finally:
                conn.close()
            with lock:
                counts["ok" if status == 200 else "other"] += 1

    threads = [threading.Thread(target=client) for _ in range(CONCURRENCY)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return counts["ok"] / (time.monotonic() - started), counts["other"]


def _wait(port: int, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(
                f"gunicorn exited with {server.returncode} (see var/bench-gunicorn.log)"
            )
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/health/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer /health/ (see var/bench-gunicorn.log)")


def _static_current() -> bool:
    """Whether collectstatic's manifest is newer than every file of the project's static/."""
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists():
        return False
    newest = max(
        (path.stat().st_mtime for path in (ROOT / "static").rglob("*") if path.is_file()),
        default=0.0,
    )
    return manifest.stat().st_mtime > newest


def measure(
    db: Database, *, rounds: int, seconds: float, workers: int | None = None, write=print
) -> list[Row]:
    switch(db)
    kasi = data.people()["kasi"]
    client = Client()
    client.force_login(kasi)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    proposal = data.proposal_model().objects.filter(state=State.COMPLETED).order_by("pk").first()
    paths = {
        "health": "/health/",
        "list": reverse("requests_intake:list"),
        "proposal": proposal.get_absolute_url(),
    }
    port = _free_port()
    env = production_env(
        host="127.0.0.1",
        port=port,
        database_url=db.url,
        DJANGO_SECRET_KEY=settings.SECRET_KEY,
        SOPAPP_ACCESS_LOG=os.devnull,
    )
    if workers:
        env["SOPAPP_WEB_WORKERS"] = str(workers)
    if not _static_current():
        manage(env, "collectstatic", "--noinput", "-v0")
    log_path = ROOT / "var" / "bench-gunicorn.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(  # noqa: S603 (fixed arguments)
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                "sopapp/gunicorn.conf.py",
                "sopapp.wsgi:application",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=log,
        )
        try:
            _wait(port, server)
            for path in paths.values():  # warm every worker a little
                _hammer(port, path, cookie, min(seconds, 1.0))
            rates: dict[str, list[float]] = {key: [] for key in paths}
            other = dict.fromkeys(paths, 0)
            for number in range(rounds):
                keys = list(paths)
                keys = keys[number % len(keys) :] + keys[: number % len(keys)]
                for key in keys:
                    rate, failed = _hammer(port, paths[key], cookie, seconds)
                    rates[key].append(rate)
                    other[key] += failed
                write(
                    f"  round {number + 1}/{rounds}: "
                    + ", ".join(f"{key} {values[-1]:.0f}/s" for key, values in rates.items())
                )
        finally:
            server.send_signal(signal.SIGINT)  # quick shutdown: nothing is in flight
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    health = statistics.median(rates["health"])
    rows = []
    for key, label in (("list", "list, page 1"), ("proposal", "proposal page (Kasi)")):
        median = statistics.median(rates[key])
        ratio = median / health if health else 0.0
        rows.append(
            Row(
                row=f"throughput on gunicorn: {label} / /health/",
                value=ratio,
                goal=f"≥ {GOALS[key]}×",
                passed=ratio >= GOALS[key] and other[key] == 0,
                base={
                    "median": health,
                    "min": min(rates["health"]),
                    "max": max(rates["health"]),
                    "n": rounds,
                    "unit": "req/s",
                },
                compared={
                    "median": median,
                    "min": min(rates[key]),
                    "max": max(rates[key]),
                    "n": rounds,
                    "unit": "req/s",
                },
                note=f"{CONCURRENCY} clients, {rounds} × {seconds:g} s each; "
                f"answers other than 200: {other[key]} (health {other['health']})",
            )
        )
    return rows
