"""A bounded load test: ``make load`` (not part of ``make test``).

Starts gunicorn and the document worker in production mode against a PostgreSQL database
of its own (``sopapp_load``, recreated each run), then lets simulated people work the SOP
through the web pages for a fixed time, on the loopback interface only, and stops by itself:

- pemohon create proposals (with the scanned letter), submit them, browse their list;
- Kasi, Kabid and Kepala Dinas open their inbox and take the step in front of them
  (receive, forward, decide, check the report), now and then look at the dashboard;
- Prakom staff upload the documents their step needs and finish it.

Several people of one role share an inbox, so they race for the same proposal, as in an
office. At the end it checks that nothing was lost: every transition a person saw succeed
is in the database, every log chain verifies, and no request got a 5xx. It prints
requests/s and latency percentiles, and exits non-zero on any 5xx or lost transition.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import re
import statistics
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from sopapp.serve import BASE_DIR, ensure_database, prepare, production_env, running

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/sopapp_load"
ROLES_MIX = {"pemohon": 15, "kasi": 7, "kabid": 7, "kadis": 7, "prakom": 14}
UNITS = 5
PASSWORD = "Muat-Uji-" + uuid.uuid4().hex[:12]
# Choices of simulated people, not secrets: the ordinary generator is what is wanted.
rng = random.Random()  # noqa: S311

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PROPOSAL_LINK = re.compile(r'href="/usulan/(\d+)/"')
ACTION_FORM = re.compile(r'action="/usulan/(\d+)/aksi/([a-z_]+)/"')
ALERT = re.compile(r'class="alert alert-(success|warning|danger|info)')
SELECT = r'name="{name}"[^>]*>(.*?)</select>'
OPTION = re.compile(r'<option value="(\d+)"')
INCOMPLETE = "belum dapat diselesaikan"


# --- the simulated browser -----------------------------------------------------------------


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    outcomes: Counter = field(default_factory=Counter)
    taken: Counter = field(default_factory=Counter)  # (proposal id) -> transitions seen done
    signed_in: int = 0
    measuring: bool = False

    def record(self, label: str, seconds: float, status: int) -> None:
        with self.lock:
            if self.measuring:
                self.latencies[label].append(seconds)
                self.statuses[status] += 1

    def count(self, what: str, proposal: int | None = None) -> None:
        with self.lock:
            self.outcomes[what] += 1
            if what == "transition" and proposal is not None:
                self.taken[proposal] += 1


class Browser:
    """One person's browser: cookies, CSRF tokens, no redirects followed automatically."""

    def __init__(self, port: int, stats: Stats) -> None:
        self.port, self.stats, self.cookies = port, stats, {}

    def request(self, method, path, label, body=b"", content_type=None):
        headers = {"Host": f"127.0.0.1:{self.port}", "User-Agent": "sopapp-loadtest"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        started = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body or None, headers=headers)
            response = connection.getresponse()
            content = response.read()
        except OSError as exc:
            with self.stats.lock:
                self.stats.errors.append(f"{method} {path}: {exc}")
            raise
        finally:
            connection.close()
        self.stats.record(label, time.perf_counter() - started, response.status)
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if "Max-Age=0" in header or "expires=Thu, 01 Jan 1970" in header:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        if response.status >= 500:
            with self.stats.lock:
                self.stats.errors.append(f"{method} {path}: {response.status}")
        return response.status, response.headers, content.decode("utf-8", "replace")

    def get(self, path, label):
        return self.request("GET", path, label)

    def post(self, path, label, fields, files=None):
        if files:
            boundary = uuid.uuid4().hex
            body = bytearray()
            for name, value in fields.items():
                for item in value if isinstance(value, list) else [value]:
                    body += (
                        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"'
                        f"\r\n\r\n{item}\r\n"
                    ).encode()
            for name, (filename, content) in files.items():
                body += (
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                    f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
                ).encode()
                body += content + b"\r\n"
            body += f"--{boundary}--\r\n".encode()
            return self.request(
                "POST", path, label, bytes(body), f"multipart/form-data; boundary={boundary}"
            )
        body = urlencode(fields, doseq=True).encode()
        return self.request("POST", path, label, body, "application/x-www-form-urlencoded")

    def login(self, username: str) -> None:
        _status, _headers, page = self.get("/masuk/", "GET login")
        status, _headers, _page = self.post(
            "/masuk/",
            "POST login",
            {"csrfmiddlewaretoken": token(page), "username": username, "password": PASSWORD},
        )
        if status != 302:
            raise RuntimeError(f"login of {username} answered {status}")


def token(page: str) -> str:
    match = CSRF.search(page)
    if not match:
        raise RuntimeError("no CSRF token on the page")
    return match.group(1)


# --- what each role does ---------------------------------------------------------------------


def action_fields(name: str, page: str) -> dict:
    """What a person fills in for transition ``name`` (as the workflow's own forms ask)."""
    today = time.strftime("%Y-%m-%d")
    people = "Siti Rahmawati; Dinas Kesehatan; Kasubbag\nAndi Pratama; Diskominfo; Prakom"
    values = {
        "receive": {
            "agenda_number": f"AG-{rng.randint(1, 9999)}",
            "received_date": today,
            "sifat": "biasa",
            "study_notes": "Lengkap.",
        },
        "forward_to_kabid": {"instructions": ["proses_lanjut"], "note": "Mohon diproses."},
        "forward_to_kadis": {"instructions": ["mohon_keputusan"], "note": ""},
        "decide_needed": {"reason": "Mendukung SPBE."},
        "decide_not_needed": {"reason": "Sudah ada Aplikasi Umum."},
        "finish_design": {"summary": "Struktur data, alur, antarmuka."},
        "record_presentation": {
            "held_on": today,
            "place": "Ruang Rapat",
            "attendees": people,
            "points_raised": "Tambah ekspor.",
        },
        "accept_review": {"requested_changes": "Ekspor.", "changes_made": "Ditambahkan."},
        "request_another_round": {"requested_changes": "Alur.", "changes_made": "Diubah."},
        "submit_report": {
            "summary": "Selesai dibangun.",
            "manual_version": "1.0",
            "application_url": "https://contoh.go.id",
        },
        "finish_socialisation": {
            "held_on": today,
            "place": "Aula",
            "participants": people,
            "material": "Penggunaan.",
        },
    }.get(name, {"note": "Perbaiki bab pengujian." if name.endswith("_return") else ""})
    if name == "decide_needed":
        select = re.search(SELECT.format(name="decide_needed-prakom"), page, re.S)
        options = OPTION.findall(select.group(1)) if select else []
        values["prakom"] = rng.choice(options) if options else ""
    return {f"{name}-{key}": value for key, value in values.items()}


# Prefer moving forward; now and then send something back, as real reviewers do.
PREFERENCE = {
    "decide_not_needed": 0.1,
    "request_another_round": 0.15,
    "kasi_return": 0.15,
    "kabid_return": 0.1,
    "kadis_return": 0.1,
}


def choose(actions: list[str]) -> str:
    weights = [PREFERENCE.get(a, 1.0) for a in actions]
    return rng.choices(actions, weights)[0]


def sample_file(kind: str) -> tuple[str, bytes]:
    from workflow import demo

    upload = demo.sample_upload(kind)
    return upload.name, upload.read()


def take_a_step(browser: Browser, stats: Stats, proposal: int) -> None:
    from requests_intake.models import REQUIRED_KINDS

    detail = f"/usulan/{proposal}/"
    _status, _h, page = browser.get(detail, "GET proposal")
    actions = [name for pk, name in ACTION_FORM.findall(page) if int(pk) == proposal]
    if not actions:
        return
    name = choose(actions)
    revision = re.search(rf'name="{name}-revision" value="(\d+)"', page)
    fields = {"csrfmiddlewaretoken": token(page), f"{name}-revision": revision.group(1)}
    fields |= action_fields(name, page)
    url = f"/usulan/{proposal}/aksi/{name}/"
    status, _h, answer = browser.post(url, "POST action", fields)
    if status == 200 and INCOMPLETE in answer:
        for kind in REQUIRED_KINDS.get(name, ()):  # the step needs its documents first
            upload_fields = {"csrfmiddlewaretoken": token(answer), "kind": kind, "note": ""}
            browser.post(
                f"/usulan/{proposal}/unggah/",
                "POST upload",
                upload_fields,
                {"file": sample_file(kind)},
            )
        _status, _h, page = browser.get(detail, "GET proposal")
        fields["csrfmiddlewaretoken"] = token(page)
        status, _h, answer = browser.post(url, "POST action", fields)
    if status != 302:
        stats.count(f"action answered {status}")
        return
    _status, _h, page = browser.get(detail, "GET proposal")
    kind = ALERT.search(page)
    if kind and kind.group(1) == "success":
        stats.count("transition", proposal)
    elif kind and kind.group(1) == "warning":
        stats.count("refused: already handled")
    else:
        stats.count("action without message")


def pemohon_round(browser: Browser, stats: Stats) -> None:
    from workflow import demo

    if rng.random() < 0.3:
        _s, _h, page = browser.get("/usulan/baru/", "GET new proposal")
        fields = {"csrfmiddlewaretoken": token(page)}
        for key, value in demo.proposal_data(f"Aplikasi Uji {uuid.uuid4().hex[:6]}").items():
            if value is True:
                fields[key] = "on"
            elif value not in (False, None):
                fields[key] = value.isoformat() if hasattr(value, "isoformat") else str(value)
        status, headers, _page = browser.post(
            "/usulan/baru/",
            "POST new proposal",
            fields,
            {"letter_file": ("surat.pdf", demo.sample_pdf("Surat permintaan"))},
        )
        if status != 302:
            stats.count(f"create answered {status}")
            return
        stats.count("proposal created")
        proposal = int(re.search(r"/usulan/(\d+)/", headers["Location"]).group(1))
        take_a_step(browser, stats, proposal)  # submit it
        return
    _s, _h, page = browser.get("/usulan/", "GET list")
    ids = [int(pk) for pk in PROPOSAL_LINK.findall(page)]
    if ids:
        browser.get(f"/usulan/{rng.choice(ids)}/", "GET proposal")


def official_round(browser: Browser, stats: Stats, role: str) -> None:
    _s, _h, page = browser.get("/kotak-masuk/", "GET inbox")
    ids = [int(pk) for pk in PROPOSAL_LINK.findall(page)]
    if ids:
        take_a_step(browser, stats, rng.choice(ids[:10]))
    elif role in ("kasi", "kabid", "kadis") and rng.random() < 0.5:
        browser.get("/dasbor/", "GET dashboard")
    else:
        browser.get("/usulan/", "GET list")


def person(username: str, role: str, port: int, stats: Stats, stop: threading.Event, think):
    browser = Browser(port, stats)
    try:
        browser.login(username)
    except Exception as exc:  # counted; the run goes on with the others
        with stats.lock:
            stats.errors.append(f"login {username}: {exc}")
        return
    with stats.lock:
        stats.signed_in += 1
    while not stop.is_set():
        try:
            if role == "pemohon":
                pemohon_round(browser, stats)
            else:
                official_round(browser, stats, role)
        except Exception as exc:
            with stats.lock:
                stats.errors.append(f"{username}: {type(exc).__name__}: {exc}")
        stop.wait(rng.uniform(*think))


# --- preparing and checking the database -----------------------------------------------------


def seed(users_per_role: dict[str, int]) -> list[tuple[str, str]]:
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from requests_intake.models import PerangkatDaerah
    from workflow.models import User

    units = [
        PerangkatDaerah.objects.create(code=f"UJI{i}", name=f"Dinas Uji {i}", short_name=f"Uji {i}")
        for i in range(1, UNITS + 1)
    ]
    hashed = make_password(PASSWORD)  # once: hashing is deliberately slow
    people = []
    for role, count in users_per_role.items():
        group = Group.objects.get(name=role)
        for number in range(1, count + 1):
            username = f"uji-{role}-{number}"
            user = User.objects.create(
                username=username,
                password=hashed,
                first_name=f"{role.title()} {number}",
                email=f"{username}@example.go.id",
                unit=units[number % UNITS] if role == "pemohon" else None,
            )
            user.groups.add(group)
            people.append((username, role))
    return people


def check_database(stats: Stats, started) -> dict:
    from django.db.models import Count

    from reports.models import Document
    from requests_intake.models import ApplicationRequest
    from workflow import audit
    from workflow.models import TransitionLog

    logs = TransitionLog.objects.filter(created_at__gte=started)
    in_database = Counter(
        dict(logs.values_list("request_id").annotate(n=Count("pk")).values_list("request_id", "n"))
    )
    seen = Counter(stats.taken)
    report = audit.verify()
    return {
        "transitions seen by the people": sum(seen.values()),
        "transitions in the database": sum(in_database.values()),
        "lost (seen, not stored)": sum((seen - in_database).values()),
        "stored but not seen (answer lost on the way)": sum((in_database - seen).values()),
        "log chain problems": len(report.problems),
        "proposals": ApplicationRequest.objects.count(),
        "completed": ApplicationRequest.objects.filter(state="completed").count(),
        "documents by status (rendered by the worker)": dict(
            Document.objects.values_list("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        ),
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


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
    parser.add_argument("--duration", type=float, default=60, help="seconds measured")
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--workers", type=int, help="gunicorn workers (default 2 × CPUs + 1)")
    parser.add_argument("--think", type=float, nargs=2, default=(0.3, 1.2), metavar=("MIN", "MAX"))
    parser.add_argument("--database", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    if not args.database.startswith(("postgres://", "postgresql://")):
        parser.error("the load test runs against PostgreSQL")

    work = BASE_DIR / "var" / "load"
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
    from django.utils import timezone

    mix = {
        role: max(1, round(args.users * n / sum(ROLES_MIX.values())))
        for role, n in ROLES_MIX.items()
    }
    mix["prakom"] += args.users - sum(mix.values())
    people = seed(mix)
    connections.close_all()

    stats = Stats()
    stop = threading.Event()
    machine_line = machine()
    work.mkdir(parents=True, exist_ok=True)
    with (
        (work / "server.log").open("w") as log,
        running(env, host="127.0.0.1", port=args.port, workers=args.workers, log=log),
    ):
        started = timezone.now()
        threads = [
            threading.Thread(target=person, args=(u, r, args.port, stats, stop, args.think))
            for u, r in people
        ]
        print(f"{len(threads)} people signing in …", flush=True)
        for thread in threads:
            thread.start()
            time.sleep(0.05)  # a morning, not a stampede
        # Sign-ins (deliberately slow password hashing) are not measured.
        deadline = time.monotonic() + 180
        while stats.signed_in + len(stats.errors) < len(threads) and time.monotonic() < deadline:
            time.sleep(0.2)
        stats.measuring = True
        measure_start = time.perf_counter()
        print(f"measuring for {args.duration:.0f} s …", flush=True)
        time.sleep(args.duration)
        stats.measuring = False
        measured = time.perf_counter() - measure_start
        stop.set()
        for thread in threads:
            thread.join(timeout=90)
        time.sleep(1)
    figures = check_database(stats, started)

    every = [s for values in stats.latencies.values() for s in values]
    total = len(every)
    server_errors = sum(n for status, n in stats.statuses.items() if status >= 500)
    result = {
        "machine": machine_line,
        "users": dict(mix),
        "seconds measured": round(measured, 1),
        "requests": total,
        "requests/s": round(total / measured, 1),
        "p50 ms": round(percentile(every, 0.50) * 1000) if every else None,
        "p95 ms": round(percentile(every, 0.95) * 1000) if every else None,
        "p99 ms": round(percentile(every, 0.99) * 1000) if every else None,
        "5xx": server_errors,
        "statuses": dict(sorted(stats.statuses.items())),
        "client errors": len(stats.errors),
        "outcomes": dict(stats.outcomes),
        "database": figures,
        "per request": {
            label: {
                "n": len(values),
                "p50 ms": round(statistics.median(values) * 1000),
                "p95 ms": round(percentile(values, 0.95) * 1000),
            }
            for label, values in sorted(stats.latencies.items())
        },
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))
    for error in stats.errors[:20]:
        print("error:", error, file=sys.stderr)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2, ensure_ascii=False))
    lost = figures["lost (seen, not stored)"] or figures["log chain problems"]
    return 1 if server_errors or stats.errors or lost else 0


if __name__ == "__main__":
    sys.exit(main())
