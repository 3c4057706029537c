"""The multi-node scale test: ``make scale-test`` (PostgreSQL; run by ``.ci/run``).

Starts what a two-machine deployment shares and nothing more:

- an S3-compatible object store (moto's standalone server on a loopback port),
- the PostgreSQL database ``sopapp_scale`` (recreated each run) and a Redis database,

then two "nodes", each a gunicorn server in production mode plus a document worker
(``manage.py db_worker``), each with its own, empty local directories (media, static, temp)
so that nothing one node writes to its disk can help the other. Simulated people of every
role work the SOP through both nodes alternately (create and submit proposals with their
letter, upload the documents their step needs, take their step, download documents).
Midway one web node and the *other* node's worker are killed with SIGKILL, and the people
carry on through the surviving node.

Then it checks, with the servers stopped:
- every transition a person saw succeed is stored, and every log chain verifies;
- every checkpoint document exists exactly once, was rendered (by the surviving worker if
  need be, with no command typed), is one object in the bucket with its SHA-256, and
  downloads from the surviving node;
- every upload is retrievable with its SHA-256;
- no request got a 5xx, and the only failed requests are those in flight to the killed node;
- the nodes' local media directories are still empty.

It prints one summary line and exits non-zero on any failure.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sopapp import loadtest
from sopapp.serve import BASE_DIR, ensure_database, manage, production_env
from tools.s3server import CREDENTIALS, free_port, s3_server

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/sopapp_scale"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/9"
BUCKET = "sopapp-scale"
PEOPLE = {"pemohon": 3, "kasi": 2, "kabid": 2, "kadis": 2, "prakom": 3}
DOWNLOAD = re.compile(r'href="(/usulan/\d+/(?:dokumen|dokumen-resmi)/\d+/(?:unduh/)?)"')
rng = random.Random()  # noqa: S311 (choices of simulated people, not secrets)


@dataclass
class Node:
    name: str
    port: int
    env: dict[str, str]
    root: Path
    web: subprocess.Popen | None = None
    worker: subprocess.Popen | None = None
    web_alive: bool = True

    @property
    def media(self) -> Path:
        return self.root / "media"

    def start(self, log) -> None:
        common = {"cwd": BASE_DIR, "env": self.env, "stdout": log, "stderr": log}
        # Own sessions: SIGKILL to the group takes gunicorn's master and its workers at once.
        self.web = subprocess.Popen(  # noqa: S603 (fixed arguments)
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                "sopapp/gunicorn.conf.py",
                "--workers",
                "2",
                "sopapp.wsgi:application",
            ],
            start_new_session=True,
            **common,
        )
        self.worker = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "db_worker", "--no-reload"],
            start_new_session=True,
            **common,
        )

    def kill_web(self) -> None:
        self.web_alive = False
        os.killpg(self.web.pid, signal.SIGKILL)
        self.web.wait()

    def kill_worker(self) -> None:
        os.killpg(self.worker.pid, signal.SIGKILL)
        self.worker.wait()

    def stop(self) -> None:
        for process in (self.web, self.worker):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in (self.web, self.worker):
            if process is None:
                continue
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


class NodeDown(Exception):
    """A request was in flight to (or sent to) a node that was killed."""


@dataclass
class Cluster:
    nodes: list[Node]
    lock: threading.Lock = field(default_factory=threading.Lock)
    in_flight_lost: int = 0

    def alive(self) -> list[Node]:
        return [node for node in self.nodes if node.web_alive]


class NodeBrowser(loadtest.Browser):
    """One person's browser that sends each request to the next live node in turn."""

    def __init__(self, cluster: Cluster, stats: loadtest.Stats) -> None:
        super().__init__(cluster.nodes[0].port, stats)
        self.cluster, self.turn = cluster, rng.randrange(2)

    def request(self, method, path, label, body=b"", content_type=None):
        alive = self.cluster.alive()
        self.turn += 1
        node = alive[self.turn % len(alive)]
        self.port = node.port
        errors_before = len(self.stats.errors)
        try:
            return super().request(method, path, label, body, content_type)
        except OSError:
            if node.web_alive:
                raise
            with self.stats.lock:  # not an error of the application: the node was killed
                del self.stats.errors[errors_before:]
            with self.cluster.lock:
                self.cluster.in_flight_lost += 1
            raise NodeDown(node.name) from None


def download_something(browser: NodeBrowser) -> None:
    _s, _h, page = browser.get("/kotak-masuk/", "GET inbox")
    ids = [int(pk) for pk in loadtest.PROPOSAL_LINK.findall(page)]
    if not ids:
        _s, _h, page = browser.get("/usulan/", "GET list")
        ids = [int(pk) for pk in loadtest.PROPOSAL_LINK.findall(page)]
    if not ids:
        return
    _s, _h, page = browser.get(f"/usulan/{rng.choice(ids)}/", "GET proposal")
    links = DOWNLOAD.findall(page)
    if links:
        status, _h, _body = browser.get(rng.choice(links), "GET download")
        if status != 200:
            browser.stats.count(f"download answered {status}")


def person(username, role, cluster, stats, stop, think) -> None:
    browser = NodeBrowser(cluster, stats)
    for _attempt in range(3):
        try:
            browser.login(username)
            break
        except NodeDown:
            continue
    else:
        return
    with stats.lock:
        stats.signed_in += 1
    while not stop.is_set():
        try:
            if role == "pemohon":
                loadtest.pemohon_round(browser, stats)
            elif rng.random() < 0.2:
                download_something(browser)
            else:
                loadtest.official_round(browser, stats, role)
        except NodeDown:
            pass
        except Exception as exc:
            with stats.lock:
                stats.errors.append(f"{username}: {type(exc).__name__}: {exc}")
        stop.wait(rng.uniform(*think))


def wait_healthy(node: Node, timeout: float = 90) -> None:
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + timeout
    url = f"http://127.0.0.1:{node.port}/health/"
    while time.monotonic() < deadline:
        for process in (node.web, node.worker):
            if process.poll() is not None:
                raise RuntimeError(f"{node.name}: {process.args} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{node.name} did not become healthy within {timeout:.0f} s")


def wait_for_documents(timeout: float) -> dict[str, int]:
    """Until every document is ready or failed (self-healing requeues what a kill lost)."""
    from django.db.models import Count

    from reports.models import Document, DocumentStatus

    deadline = time.monotonic() + timeout
    while True:
        statuses = dict(
            Document.objects.values_list("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        )
        unfinished = sum(n for s, n in statuses.items() if s != DocumentStatus.READY)
        if not unfinished or time.monotonic() > deadline:
            return statuses
        time.sleep(1)


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def check(stats, cluster: Cluster, survivor: Node, s3, officials: list[str]) -> list[str]:
    """Everything that must hold after the run; returns the failures (empty when all hold)."""
    from django.core.files.storage import default_storage
    from django.db.models import Count

    from reports.documents import CHECKPOINTS
    from reports.models import Document, DocumentStatus
    from requests_intake.models import Attachment
    from workflow import audit
    from workflow.models import TransitionLog

    failures: list[str] = []
    figures: dict[str, object] = {}

    # Transitions: seen by the people = stored; the chains verify.
    stored = Counter(
        dict(
            TransitionLog.objects.values_list("request_id")
            .annotate(n=Count("pk"))
            .values_list("request_id", "n")
        )
    )
    seen = Counter(stats.taken)
    lost = sum((seen - stored).values())
    figures["seen"], figures["stored"] = sum(seen.values()), sum(stored.values())
    if lost:
        failures.append(f"{lost} transitions seen by a person are not stored")
    report = audit.verify()
    if report.problems:
        failures.append(f"log chains: {report.problems[:3]}")

    # Documents: one per checkpoint, ready, one object each, downloadable from the survivor.
    expected = 0
    for log in TransitionLog.objects.only("pk", "transition"):
        for kind in CHECKPOINTS.get(log.transition, ()):
            expected += 1
            count = Document.objects.filter(log=log, kind=kind, requested_by__isnull=True).count()
            if count != 1:
                failures.append(f"log {log.pk} has {count} documents of kind {kind}")
    documents = list(Document.objects.select_related("request"))
    not_ready = [d.pk for d in documents if d.status != DocumentStatus.READY]
    if not_ready:
        failures.append(f"documents not rendered: {not_ready[:10]}")
    keys = set(s3.keys(BUCKET, "sopapp/documents/"))
    ready_keys = {f"sopapp/{d.file.name}" for d in documents if d.status == DocumentStatus.READY}
    if keys != ready_keys:
        failures.append(
            f"bucket holds {len(keys)} document objects for {len(ready_keys)} ready documents "
            f"(extra {len(keys - ready_keys)}, missing {len(ready_keys - keys)})"
        )
    browser = loadtest.Browser(survivor.port, stats)
    browser.login(officials[0])
    downloaded = 0
    for doc in documents:
        if doc.status != DocumentStatus.READY:
            continue
        status, _h, _body = browser.request(
            "GET", f"/usulan/{doc.request_id}/dokumen-resmi/{doc.pk}/unduh/", "check download"
        )
        with default_storage.open(doc.file.name, "rb") as handle:
            stored_sha = sha256(handle.read())
        if status != 200 or stored_sha != doc.sha256:
            failures.append(
                f"document {doc.pk}: download {status}, sha256 ok {stored_sha == doc.sha256}"
            )
        else:
            downloaded += 1
    figures["documents"], figures["expected documents"] = len(documents), expected

    # Uploads: every one retrievable with its SHA-256.
    uploads = 0
    for attachment in Attachment.objects.all():
        with default_storage.open(attachment.file.name, "rb") as handle:
            if sha256(handle.read()) != attachment.sha256:
                failures.append(f"attachment {attachment.pk} differs from its SHA-256")
                continue
        uploads += 1
    figures["uploads"] = uploads

    # Nothing on a node's own disk that the other one would have needed.
    for node in cluster.nodes:
        local = [p for p in node.media.rglob("*") if p.is_file()] if node.media.exists() else []
        if local:
            failures.append(f"{node.name} wrote {len(local)} files to its local media directory")

    server_errors = sum(n for status, n in stats.statuses.items() if status >= 500)
    if server_errors:
        failures.append(f"{server_errors} server errors")
    if stats.errors:
        failures.append(f"{len(stats.errors)} failed requests: {stats.errors[:5]}")
    requests = sum(stats.statuses.values())
    print(
        f"scale-test: {requests} requests through 2 nodes, {server_errors} server errors, "
        f"{len(stats.errors)} other errors, {cluster.in_flight_lost} in flight to the killed "
        f"node; transitions seen {figures['seen']} = stored {figures['stored']}; documents "
        f"{downloaded}/{len(documents)} rendered once and downloadable; uploads "
        f"{uploads} retrievable; lost: {lost}",
        flush=True,
    )
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=45, help="seconds of load")
    parser.add_argument("--think", type=float, nargs=2, default=(0.2, 0.8), metavar=("MIN", "MAX"))
    parser.add_argument("--database", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--redis", default=DEFAULT_REDIS_URL)
    parser.add_argument("--settle", type=float, default=180, help="seconds to wait for documents")
    args = parser.parse_args(argv)
    if not args.database.startswith(("postgres://", "postgresql://")):
        parser.error("the scale test runs against PostgreSQL")

    import redis

    redis.Redis.from_url(args.redis).flushdb()  # its own database number: a clean cache
    ensure_database(args.database, recreate=True)
    scratch = Path(tempfile.mkdtemp(prefix="sopapp-scale-"))
    log_path = scratch / "servers.log"
    with s3_server() as s3:
        s3.create_bucket(BUCKET)
        shared = {
            **CREDENTIALS,
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),  # the same on every node
            "SOPAPP_FILE_STORAGE": "s3",
            "SOPAPP_S3_BUCKET": BUCKET,
            "SOPAPP_S3_ENDPOINT_URL": s3.endpoint,
            "SOPAPP_S3_REGION": CREDENTIALS["AWS_DEFAULT_REGION"],
            "SOPAPP_CACHE_URL": args.redis,
        }
        nodes = []
        for name in ("node-a", "node-b"):
            port, root = free_port(), scratch / name
            for sub in ("media", "static", "tmp"):
                (root / sub).mkdir(parents=True)
            env = production_env(
                host="127.0.0.1",
                port=port,
                database_url=args.database,
                SOPAPP_MEDIA_ROOT=str(root / "media"),
                SOPAPP_STATIC_ROOT=str(root / "static"),
                TMPDIR=str(root / "tmp"),
                SOPAPP_ACCESS_LOG=str(root / "access.log"),
                **shared,
            )
            env["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1,localhost"
            nodes.append(Node(name=name, port=port, env=env, root=root))
        print(f"Preparing {args.database} (recreated), two nodes in {scratch} …", flush=True)
        manage(nodes[0].env, "migrate", "--noinput", "-v0")
        for node in nodes:
            manage(node.env, "collectstatic", "--noinput", "-v0")

        os.environ.update(nodes[0].env)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sopapp.settings")
        import django

        django.setup()
        from django.db import connections

        people = loadtest.seed(PEOPLE)
        connections.close_all()
        officials = [u for u, r in people if r == "kasi"]

        cluster = Cluster(nodes=nodes)
        stats = loadtest.Stats()
        stats.measuring = True
        stop = threading.Event()
        failures: list[str] = []
        with log_path.open("w") as log:
            try:
                for node in nodes:
                    node.start(log)
                for node in nodes:
                    wait_healthy(node)
                threads = [
                    threading.Thread(target=person, args=(u, r, cluster, stats, stop, args.think))
                    for u, r in people
                ]
                for thread in threads:
                    thread.start()
                    time.sleep(0.05)
                time.sleep(args.duration * 0.4)
                print("SIGKILL: the web server of node-a and the worker of node-b", flush=True)
                nodes[0].kill_web()
                nodes[1].kill_worker()
                time.sleep(args.duration * 0.6)
                stop.set()
                for thread in threads:
                    thread.join(timeout=90)
                print("Waiting for the documents …", flush=True)
                statuses = wait_for_documents(args.settle)
                print(f"documents by status: {statuses}", flush=True)
                failures = check(stats, cluster, nodes[1], s3, officials)
            except Exception as exc:
                failures.append(f"{type(exc).__name__}: {exc}")
            finally:
                stop.set()
                for node in nodes:
                    node.stop()
    for failure in failures:
        print("FAILED:", failure, file=sys.stderr)
    if failures:
        print(f"server logs kept in {scratch}", file=sys.stderr)
        return 1
    shutil.rmtree(scratch, ignore_errors=True)
    print("scale-test passed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
