"""A scratch instance of the application, run as it runs for real: its own database (a SQLite
file, or a PostgreSQL database next to the one in DATABASE_URL), its own media folder, and
real processes — ``manage.py runserver`` and ``manage.py db_worker`` — started and killed
like an operator's (or a crash's) would be.

The tests drive it from outside: setup and inspection scripts run in their own Python
process (``script``), small reads go straight to the database (``query``), people use
the web server over HTTP (``Browser``).
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parents[2]
PASSWORD = "sop-test-2026"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, *, timeout: float, interval: float = 0.05, what: str = "condition"):
    """Poll ``condition`` until it returns something truthy; that value is returned."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not reached within {timeout:.0f} s")
        time.sleep(interval)


class Instance:
    def __init__(self, folder: Path, name: str, **env: str) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        url = os.environ.get("DATABASE_URL", "")
        self.postgres = url.startswith(("postgres://", "postgresql://"))
        if self.postgres:
            parts = urlsplit(url)
            database = f"{parts.path.lstrip('/') or 'sopapp'}_{name}"
            self.database_url = parts._replace(path=f"/{database}").geturl()
            from sopapp.serve import ensure_database

            ensure_database(self.database_url, recreate=True)
        else:
            self.database_url = f"sqlite:///{folder / 'db.sqlite3'}"
        self.media = folder / "media"
        self.env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DJANGO_", "SOPAPP_")) and k != "DATABASE_URL"
        }
        self.env.update(
            DJANGO_SETTINGS_MODULE="sopapp.settings",
            DATABASE_URL=self.database_url,
            SOPAPP_MEDIA_ROOT=str(self.media),
            SOPAPP_TASK_BACKEND="database",
            DJANGO_LOG_LEVEL="INFO",
            PYTHONUNBUFFERED="1",
            **env,
        )
        self.processes: list[subprocess.Popen] = []
        self.manage("migrate", "--noinput", "-v0")

    # --- processes ------------------------------------------------------------------------

    def manage(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        result = subprocess.run(  # noqa: S603 (fixed interpreter and arguments)
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        return result

    def script(self, code: str, *, timeout: float = 120, check: bool = True):
        """Run ``code`` in a fresh Django process; it sets ``result`` (JSON) to hand back."""
        program = "import django, json\ndjango.setup()\nresult = None\n"
        program += textwrap.dedent(code)
        program += "\nprint('RESULT ' + json.dumps(result, default=str))\n"
        done = subprocess.run(  # noqa: S603
            [sys.executable, "-c", program],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if check:
            assert done.returncode == 0, done.stderr[-3000:]
        for line in reversed(done.stdout.splitlines()):
            if line.startswith("RESULT "):
                return json.loads(line[7:])
        return done

    def start(self, *args: str, log: str) -> subprocess.Popen:
        handle = (self.folder / log).open("ab")
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
        handle.close()
        self.processes.append(process)
        return process

    def start_worker(self, name: str = "worker", *extra: str) -> subprocess.Popen:
        return self.start(
            "db_worker",
            "--no-reload",
            "--interval",
            "0.2",
            "--worker-id",
            name,
            *extra,
            log=f"{name}.log",
        )

    def start_server(self) -> str:
        """``runserver`` as ``make run`` starts it (threaded, no reloader); its base URL."""
        port = free_port()
        process = self.start("runserver", "--noreload", f"127.0.0.1:{port}", log="server.log")
        base = f"http://127.0.0.1:{port}"

        def answers():
            if process.poll() is not None:
                raise AssertionError(f"runserver exited: {self.log('server.log')[-2000:]}")
            try:
                with urllib.request.urlopen(base + "/masuk/", timeout=2) as response:  # noqa: S310
                    return response.status == 200
            except (urllib.error.URLError, OSError):
                return False

        wait_until(answers, timeout=60, interval=0.2, what="runserver answering")
        return base

    def log(self, name: str) -> str:
        path = self.folder / name
        return path.read_text(errors="replace") if path.exists() else ""

    def kill(self, process: subprocess.Popen) -> None:
        """SIGKILL: no clean-up, as a crash or the OOM killer would."""
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes.clear()

    def close(self) -> None:
        self.stop()
        if self.postgres:
            import psycopg
            from psycopg import sql

            parts = urlsplit(self.database_url)
            admin = parts._replace(path="/postgres").geturl()
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                        sql.Identifier(parts.path.lstrip("/"))
                    )
                )

    # --- reads ----------------------------------------------------------------------------

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        """A read straight from the database (``%s`` placeholders)."""
        if self.postgres:
            import psycopg

            with psycopg.connect(self.database_url) as conn:
                return conn.execute(sql, params).fetchall()
        path = urlsplit(self.database_url).path
        conn = sqlite3.connect(path, timeout=20)
        try:
            return conn.execute(sql.replace("%s", "?"), params).fetchall()
        finally:
            conn.close()


class Browser:
    """One person's browser: a cookie jar, a login, pages and form posts."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def _csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def request(self, path: str, data: dict | list | None = None) -> tuple[int, str]:
        body = None
        headers = {}
        if data is not None:
            pairs = list(data.items()) if isinstance(data, dict) else list(data)
            pairs.append(("csrfmiddlewaretoken", self._csrf()))
            body = urllib.parse.urlencode(pairs).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def use_session(self, key: str) -> None:
        """Carry a session made on the server side (see ``tests.scenario.session_for``)."""
        host = urlsplit(self.base).hostname
        self.jar.set_cookie(
            http.cookiejar.Cookie(
                0,
                "sessionid",
                key,
                None,
                False,
                host,
                False,
                False,
                "/",
                True,
                False,
                None,
                False,
                None,
                None,
                {},
            )
        )

    def login(self, username: str, password: str = PASSWORD) -> None:
        status, _page = self.request("/masuk/")
        assert status == 200
        status, page = self.request("/masuk/", {"username": username, "password": password})
        assert status == 302, (username, status, page[:500])

    def revision(self, proposal_id: int, action: str) -> str:
        status, page = self.request(f"/usulan/{proposal_id}/")
        assert status == 200, (proposal_id, status)
        found = re.search(rf'name="{action}-revision" value="(\d+)"', page)
        assert found, f"no {action} form on proposal {proposal_id}"
        return found.group(1)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None

    def http_error_302(self, req, fp, code, msg, headers):
        return fp

    http_error_301 = http_error_303 = http_error_307 = http_error_302
