"""The embedded default (SQLite) is set up for several writers at once; PostgreSQL is left
as it is. The budget and lease of document rendering are checked at start-up."""

import json

from tests.sopapp.test_production import PRODUCTION, run, settings_of


def test_sqlite_takes_the_write_lock_up_front_and_waits_for_it():
    options = settings_of()["DATABASES"]["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 10
    assert "journal_mode=WAL" in options["init_command"]
    assert "synchronous=NORMAL" in options["init_command"]


def test_a_sqlite_connection_runs_in_wal_mode(tmp_path):
    code = (
        "import django, json; django.setup(); from django.db import connection; "
        "c = connection.cursor(); "
        "print(json.dumps([c.execute('PRAGMA journal_mode').fetchone()[0], "
        "c.execute('PRAGMA synchronous').fetchone()[0]]))"
    )
    result = run(["-c", code], DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ["wal", 1]  # 1 = NORMAL


def test_postgresql_options_are_unchanged():
    default = settings_of(**PRODUCTION)["DATABASES"]["default"]
    assert default["ENGINE"] == "django.db.backends.postgresql"
    assert not default.get("OPTIONS")


def test_a_lease_no_longer_than_the_time_limit_is_refused():
    result = run(
        ["-c", "import sopapp.settings"],
        SOPAPP_RENDER_TIME_LIMIT="60",
        SOPAPP_RENDER_LEASE="60",
    )
    assert result.returncode != 0
    assert "SOPAPP_RENDER_LEASE must exceed SOPAPP_RENDER_TIME_LIMIT." in result.stderr
