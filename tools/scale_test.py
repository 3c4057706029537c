"""The multi-node scale test: ``make scale-test`` (PostgreSQL; run by ``.ci/run``).

Starts what a two-machine deployment shares and nothing more:

- an S3-compatible object store (moto's standalone server on a loopback port),
- the PostgreSQL database ``sopapp_scale`` (recreated each run) and a Redis database,

then two "nodes", each a gunicorn server in production mode plus a document worker
(``manage.py db_worker``), each with its own, empty local directories (media, static, temp)
so that nothing one node writes to its disk can help the other. Simulated people of every
role (Locust users, ``tools/load``) work the SOP through both nodes alternately (create and
submit proposals with their letter, upload the documents their step needs, take their step,
download documents).
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
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from sopapp.serve import BASE_DIR, ensure_database, manage, production_env
from tools.load import prepare
from tools.load.run import read_tally, start_locust
from tools.s3server import CREDENTIALS, free_port, s3_server

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/sopapp_scale"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/9"
BUCKET = "sopapp-scale"
PEOPLE = {"pemohon": 3, "kasi": 2, "kabid": 2, "kadis": 2, "prakom": 3}


@dataclass
class Node:
    name: str
    port: int
    env: dict[str, str]
    root: Path
    web: subprocess.Popen | None = None
    worker: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

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
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--worker-id", self.name],
            start_new_session=True,
            **common,
        )

    def kill(self, process: subprocess.Popen) -> None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

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


def wait_healthy(node: Node, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for process in (node.web, node.worker):
            if process.poll() is not None:
                raise RuntimeError(f"{node.name}: {process.args} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(node.url + "/health/", timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{node.name} did not become healthy within {timeout:.0f} s")


def wait_for_documents(timeout: float) -> dict[str, int]:
    """Until every document is ready (self-healing requeues what a kill lost) or timeout."""
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


def download(url: str, username: str) -> tuple[int, bytes]:
    """Sign in on ``url``'s node as ``username`` and fetch ``url`` (a plain client)."""
    import http.cookiejar
    import re

    class LoopbackCookies(http.cookiejar.DefaultCookiePolicy):
        def return_ok_secure(self, cookie, request):  # Secure cookies over loopback HTTP
            return True

    jar = http.cookiejar.CookieJar(policy=LoopbackCookies())
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    base = url.split("/usulan/")[0]
    page = opener.open(base + "/masuk/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": username, "password": prepare.PASSWORD}
    ).encode()
    opener.open(base + "/masuk/", body, timeout=30).read()
    try:
        with opener.open(url, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


def check(tally: dict, nodes: list[Node], survivor: Node, s3, official: str) -> list[str]:
    """Everything that must hold after the run; returns the failures (empty when all hold)."""
    from django.core.files.storage import default_storage
    from django.db.models import Count

    from reports.documents import CHECKPOINTS, applies
    from reports.models import Document, DocumentStatus
    from requests_intake.models import Attachment
    from signing.selectors import record_of
    from workflow import audit
    from workflow.models import TransitionLog

    failures: list[str] = []
    stored = Counter(
        dict(
            TransitionLog.objects.values_list("request_id")
            .annotate(n=Count("pk"))
            .values_list("request_id", "n")
        )
    )
    seen = Counter({int(k): v for k, v in tally["taken"].items()})
    lost = sum((seen - stored).values())
    if lost:
        failures.append(f"{lost} transitions seen by a person are not stored")
    if not seen:
        failures.append("no transition was taken: the load did not work the SOP")
    report = audit.verify()
    if report.problems:
        failures.append(f"log chains: {report.problems[:3]}")

    expected = 0
    for log in TransitionLog.objects.only("pk", "transition"):
        for kind in CHECKPOINTS.get(log.transition, ()):
            if not applies(kind, log):  # e.g. the handover's berita acara without a handover
                continue
            expected += 1
            count = Document.objects.filter(log=log, kind=kind, requested_by__isnull=True).count()
            if count != 1:
                failures.append(f"log {log.pk} has {count} documents of kind {kind}")
    documents = list(Document.objects.all())
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
    downloaded = 0
    for doc in documents:
        if doc.status != DocumentStatus.READY:
            continue
        url = f"{survivor.url}/usulan/{doc.request_id}/dokumen-resmi/{doc.pk}/unduh/"
        status, content = download(url, official)
        record = record_of(doc)
        if record.needs_signatures and not (record.signed or record.partly_signed):
            # Served with the "not yet signed" mark on every page: a PDF, not the archived bytes.
            served = status == 200 and content.startswith(b"%PDF-")
        else:
            served = status == 200 and sha256(content) == record.sha256
        if not served:
            failures.append(f"document {doc.pk}: download answered {status}")
        else:
            downloaded += 1

    uploads = 0
    for attachment in Attachment.objects.all():
        with default_storage.open(attachment.file.name, "rb") as handle:
            if sha256(handle.read()) != attachment.sha256:
                failures.append(f"attachment {attachment.pk} differs from its SHA-256")
                continue
        uploads += 1

    for node in nodes:
        media = node.root / "media"
        local = [p for p in media.rglob("*") if p.is_file()]
        if local:
            failures.append(f"{node.name} wrote {len(local)} files to its local media directory")

    server_errors = sum(tally["server_errors"].values())
    if server_errors:
        failures.append(f"server errors: {tally['server_errors']}")
    if tally["error_count"]:
        failures.append(f"{tally['error_count']} failed requests: {tally['errors'][:5]}")
    in_flight = sum(tally["node_down"].values())
    print(
        f"scale-test: {tally['requests']} requests through 2 nodes, {server_errors} server "
        f"errors, {tally['error_count']} other errors, {in_flight} in flight to the killed "
        f"node; transitions seen {sum(seen.values())} = stored {sum(stored.values())}; "
        f"documents {downloaded}/{len(documents)} (of {expected} checkpoints) rendered once and "
        f"downloadable; uploads {uploads} retrievable; lost: {lost}",
        flush=True,
    )
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=45, help="seconds of load")
    parser.add_argument("--think", type=float, nargs=2, default=(0.2, 0.8), metavar=("MIN", "MAX"))
    parser.add_argument("--database", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--redis", default=DEFAULT_REDIS_URL)
    parser.add_argument("--settle", type=float, default=120, help="seconds to wait for documents")
    args = parser.parse_args(argv)
    if not args.database.startswith(("postgres://", "postgresql://")):
        parser.error("the scale test runs against PostgreSQL")

    import redis

    redis.Redis.from_url(args.redis).flushdb()  # its own database number: a clean cache
    ensure_database(args.database, recreate=True)
    scratch = Path(tempfile.mkdtemp(prefix="sopapp-scale-"))
    failures: list[str] = []
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
            # Short leases and a frequent look, so a killed worker's render is redone soon.
            "SOPAPP_RENDER_TIME_LIMIT": "20",
            "SOPAPP_RENDER_LEASE": "30",
            "SOPAPP_DOCUMENT_HEAL_INTERVAL": "5",
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
                HOME=str(root),
                SOPAPP_ACCESS_LOG=str(root / "access.log"),
                **shared,
            )
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

        people = prepare.seed(PEOPLE)
        script, tally_path = scratch / "script.json", scratch / "tally.json"
        prepare.write_script(script, people)
        connections.close_all()
        official = next(u for u, r in people if r == "kasi")

        with (scratch / "servers.log").open("w") as log, (scratch / "locust.log").open("w") as llog:
            try:
                for node in nodes:
                    node.start(log)
                for node in nodes:
                    wait_healthy(node)
                locust = start_locust(
                    script=script,
                    tally=tally_path,
                    hosts=[node.url for node in nodes],
                    users=len(people),
                    seconds=args.duration,
                    think=tuple(args.think),
                    log=llog,
                    down=scratch / "killed.txt",
                )
                time.sleep(5 + args.duration * 0.4)
                print("SIGKILL: the web server of node-a and the worker of node-b", flush=True)
                (scratch / "killed.txt").write_text(nodes[0].url + "\n")
                nodes[0].kill(nodes[0].web)
                nodes[1].kill(nodes[1].worker)
                locust.wait(timeout=args.duration + 180)
                tally = read_tally(tally_path)
                print("Waiting for the documents …", flush=True)
                statuses = wait_for_documents(args.settle)
                print(f"documents by status: {statuses}", flush=True)
                failures = check(tally, nodes, nodes[1], s3, official)
            except Exception as exc:
                failures.append(f"{type(exc).__name__}: {exc}")
            finally:
                for node in nodes:
                    node.stop()
    for failure in failures:
        print("FAILED:", failure, file=sys.stderr)
    if failures:
        print(f"server and Locust logs kept in {scratch}", file=sys.stderr)
        return 1
    shutil.rmtree(scratch, ignore_errors=True)
    print("scale-test passed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
