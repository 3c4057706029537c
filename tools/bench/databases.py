"""Two scratch databases open side by side, so both sizes are measured in the same loop.

Every piece of the application talks to the ``default`` connection; ``use(db)`` puts one of
the two databases' connections there (both stay open), so switching costs nothing and a call
at 1,000 proposals and one at 100,000 follow each other within milliseconds.

The database named in ``DATABASE_URL`` is only a name: its name must contain "bench", and
the two databases are that name with ``_small`` and ``_large`` appended (SQLite files beside
it, or PostgreSQL databases on the same server). Both are dropped and created afresh.
"""

from __future__ import annotations

import copy
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from psycopg import sql


class NotScratch(Exception):
    pass


@dataclass
class Database:
    label: str  # "small" or "large"
    name: str  # SQLite path or PostgreSQL database name
    url: str  # a DATABASE_URL for another process (the throughput server)
    wrapper: object


def scratch_names(url: str) -> dict[str, tuple[str, str]]:
    """``{"small": (name, url), "large": (name, url)}`` derived from ``url``."""
    parts = urlsplit(url)
    path = parts.path
    if parts.scheme.startswith("sqlite"):
        file = Path(path[1:] if path.startswith("//") else path)
        if "bench" not in file.name:
            raise NotScratch(file)
        found = {}
        for label in ("small", "large"):
            target = file.with_name(f"{file.stem}_{label}{file.suffix}")
            found[label] = (str(target), f"sqlite:///{target}")
        return found
    name = path.lstrip("/")
    if "bench" not in name:
        raise NotScratch(name)
    return {
        label: (f"{name}_{label}", parts._replace(path=f"/{name}_{label}").geturl())
        for label in ("small", "large")
    }


def _drop(vendor: str, name: str, url: str) -> None:
    if vendor == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(name + suffix).unlink(missing_ok=True)
        return
    with _postgres(url) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def _postgres(url: str):
    import psycopg

    return psycopg.connect(urlsplit(url)._replace(path="/postgres").geturl(), autocommit=True)


def _clone(vendor: str, source: Database, target: Database) -> None:
    """The large database starts as a copy of the migrated small one (one migrate, not two)."""
    source.wrapper.close()
    if vendor == "sqlite":
        shutil.copyfile(source.name, target.name)
        return
    with _postgres(target.url) as admin:
        admin.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(target.name), sql.Identifier(source.name)
            )
        )


def _exists(vendor: str, db: Database) -> bool:
    if vendor == "sqlite":
        return Path(db.name).exists()
    with _postgres(db.url) as admin:
        return bool(
            admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db.name]).fetchone()
        )


def open_databases(url: str, *, fresh: bool = True) -> dict[str, Database]:
    """Create (or reuse, with ``fresh=False``) and migrate both databases."""
    base = connections.settings[DEFAULT_DB_ALIAS]
    vendor = "sqlite" if "sqlite" in base["ENGINE"] else "postgresql"
    found = {}
    for label, (name, sub_url) in scratch_names(url).items():
        settings_dict = copy.deepcopy(base)
        settings_dict["NAME"] = name
        wrapper = connections[DEFAULT_DB_ALIAS].__class__(settings_dict, DEFAULT_DB_ALIAS)
        found[label] = Database(label, name, sub_url, wrapper)
    small, large = found["small"], found["large"]
    if fresh or not (_exists(vendor, small) and _exists(vendor, large)):
        for db in found.values():
            _drop(vendor, db.name, db.url)
        if vendor == "postgresql":
            with _postgres(small.url) as admin:
                admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(small.name)))
        with use(small):
            call_command("migrate", verbosity=0, interactive=False)
        _clone(vendor, small, large)
    else:
        for db in found.values():
            with use(db):
                call_command("migrate", verbosity=0, interactive=False)
    return found


@contextmanager
def use(db: Database) -> Iterator[None]:
    previous = connections[DEFAULT_DB_ALIAS]
    connections[DEFAULT_DB_ALIAS] = db.wrapper
    try:
        yield
    finally:
        connections[DEFAULT_DB_ALIAS] = previous


def switch(db: Database) -> None:
    connections[DEFAULT_DB_ALIAS] = db.wrapper


def analyze(db: Database) -> None:
    """Planner statistics, as a database that has lived a while has them."""
    with use(db):
        wrapper = connections[DEFAULT_DB_ALIAS]
        with wrapper.cursor() as cursor:
            cursor.execute("ANALYZE" if wrapper.vendor == "sqlite" else "VACUUM ANALYZE")


def close_all(dbs: dict[str, Database]) -> None:
    for db in dbs.values():
        db.wrapper.close()
