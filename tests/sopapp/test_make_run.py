"""``make run``: documents and e-mails link to the address the development server runs on."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def run_make(tmp_path, *args: str, **env: str) -> list[str]:
    """``make run`` with a stand-in for Python that reports what it was started with."""
    fake, started = tmp_path / "python", tmp_path / "started"
    # The worker starts in the background and is stopped when the server ends: the stand-in
    # server waits (a few seconds at most) for the worker to have reported, as a real one runs.
    fake.write_text(
        "#!/bin/sh\n"
        'echo "$2 $SOPAPP_PUBLIC_URL $SOPAPP_TASK_BACKEND" >> "$STARTED"\n'
        'if [ "$2" = runserver ]; then\n'
        "  for _ in $(seq 1 100); do grep -q '^db_worker' \"$STARTED\" && exit 0; sleep 0.1; done\n"
        "fi\n"
    )
    fake.chmod(0o755)
    environ = {k: v for k, v in os.environ.items() if k != "SOPAPP_PUBLIC_URL"} | env
    environ["STARTED"] = str(started)
    subprocess.run(
        ["make", "--no-print-directory", "-o", "demo", "-o", "messages", "run", f"PY={fake}"]
        + list(args),
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return started.read_text().splitlines()


def test_another_port_is_the_address_in_links(tmp_path):
    lines = run_make(tmp_path, "PORT=8123")
    assert "runserver http://127.0.0.1:8123 database" in lines
    assert "db_worker http://127.0.0.1:8123 database" in lines  # the worker renders the QR codes


def test_every_interface_is_linked_as_this_machine(tmp_path):
    lines = run_make(tmp_path, "HOST=0.0.0.0", "PORT=9000")
    assert "runserver http://127.0.0.1:9000 database" in lines


def test_a_configured_public_address_wins(tmp_path):
    lines = run_make(tmp_path, "PORT=8123", SOPAPP_PUBLIC_URL="https://sop.example.go.id")
    assert "runserver https://sop.example.go.id database" in lines
