"""Run the application the way production runs it, on this machine: ``make serve``.

gunicorn serves the app (static files through WhiteNoise) and ``manage.py db_worker``
renders the official documents in the background, both with ``DJANGO_DEBUG=False`` against
PostgreSQL, on 127.0.0.1 only. Without TLS here, only the HTTPS redirect is turned off;
everything else (secure cookies, HSTS header, CSP) is as in production. Ctrl-C stops both.

The load test (``tools.loadtest``) starts the same pair through ``running()``.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/sopapp"


def local_secret_key(path: Path = BASE_DIR / "var" / "serve-secret-key") -> str:
    """A random key kept in var/ (never committed), so sessions survive a restart."""
    if not path.exists() or len(path.read_text().strip()) < 50:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(64) + "\n")
        path.chmod(0o600)
    return path.read_text().strip()


def production_env(*, host: str, port: int, database_url: str, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_DEBUG="False",
        DJANGO_SECRET_KEY=local_secret_key(),
        DJANGO_ALLOWED_HOSTS=f"{host},localhost",
        DJANGO_SECURE_SSL_REDIRECT="False",
        SOPAPP_PUBLIC_URL=f"http://{host}:{port}",
        SOPAPP_TASK_BACKEND="database",
        SOPAPP_BIND=f"{host}:{port}",
        DATABASE_URL=database_url,
    )
    env.update(extra)
    return env


def ensure_database(url: str, *, recreate: bool = False) -> None:
    """Create the PostgreSQL database named in ``url`` if missing (or afresh)."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if recreate:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)  # noqa: S603


def prepare(env: dict[str, str]) -> None:
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")


def _wait_healthy(url: str, processes: list[subprocess.Popen], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for process in processes:
            if process.poll() is not None:
                command = process.args[2]  # type: ignore[index]  # a list given above
                raise RuntimeError(f"{command!s} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer 200 within {timeout:.0f} s")


@contextmanager
def running(
    env: dict[str, str], *, host: str, port: int, workers: int | None = None, log=None
) -> Iterator[tuple[str, list[subprocess.Popen]]]:
    """Start gunicorn and the document worker; yield the base URL and both; stop both."""
    with socket.socket() as probe:  # someone else's server would answer our health checks
        if probe.connect_ex((host, port)) == 0:
            raise RuntimeError(f"{host}:{port} is already in use; choose another port.")
    gunicorn = [sys.executable, "-m", "gunicorn", "-c", "sopapp/gunicorn.conf.py"]
    if workers:
        gunicorn += ["--workers", str(workers)]
    processes = [
        subprocess.Popen(  # noqa: S603 (fixed arguments)
            [*gunicorn, "sopapp.wsgi:application"],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=log,
        ),
        subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "db_worker", "--no-reload"],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=log,
        ),
    ]
    base = f"http://{host}:{port}"
    try:
        _wait_healthy(base + "/health/", processes)
        yield base, processes
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, help="gunicorn workers (default 2 × CPUs + 1)")
    args = parser.parse_args(argv)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        parser.error("make serve binds the loopback interface only.")
    url = os.environ.get("DATABASE_URL", "")
    database_url = url if url.startswith(("postgres://", "postgresql://")) else DEFAULT_DATABASE_URL
    env = production_env(host=args.host, port=args.port, database_url=database_url)
    for signum in (signal.SIGINT, signal.SIGTERM):  # Ctrl-C and `kill` stop the children
        signal.signal(signum, _interrupt)
    ensure_database(database_url)
    prepare(env)
    with running(env, host=args.host, port=args.port, workers=args.workers) as (base, processes):
        print(f"\nSOP Aplikasi (production mode) on {base} — database {database_url}")
        print("No users yet? In another terminal:")
        print(f"  DATABASE_URL={database_url} .venv/bin/python manage.py createsuperuser")
        print(f"  or demo data: DATABASE_URL={database_url} .venv/bin/python manage.py seed_demo")
        print("Ctrl-C stops the server and the worker.\n", flush=True)
        try:
            while all(process.poll() is None for process in processes):
                time.sleep(1)
        except KeyboardInterrupt:
            return 0
    print("gunicorn or the worker stopped unexpectedly.", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
