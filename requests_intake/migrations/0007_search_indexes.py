"""Indexes for the proposal list's substring search (number, application name, letter number).

A search for ``word`` anywhere in a column cannot use a B-tree index. The engines' own
substring indexes serve it instead, and the list keeps its ``icontains`` conditions on top,
so the rows found are exactly those a plain scan finds:

- PostgreSQL: ``pg_trgm`` GIN indexes on ``UPPER(column)`` (what ``icontains`` compares);
- SQLite: an FTS5 table with the trigram tokenizer over the three columns, kept in step by
  triggers; the list narrows to its row ids before comparing.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

TABLE = "requests_intake_applicationrequest"
COLUMNS = ("registration_number", "app_name", "letter_number")
SEARCH = "requests_intake_search"


def _columns(prefix: str = "") -> str:
    return ", ".join(f"{prefix}{column}" for column in COLUMNS)


SQLITE_CREATE = [
    f"CREATE VIRTUAL TABLE {SEARCH} USING fts5({_columns()}, "
    f"content='{TABLE}', content_rowid='id', tokenize='trigram')",
    f"CREATE TRIGGER {SEARCH}_insert AFTER INSERT ON {TABLE} BEGIN "
    f"INSERT INTO {SEARCH}(rowid, {_columns()}) VALUES (new.id, {_columns('new.')}); END",
    f"CREATE TRIGGER {SEARCH}_delete AFTER DELETE ON {TABLE} BEGIN "
    f"INSERT INTO {SEARCH}({SEARCH}, rowid, {_columns()}) "
    f"VALUES ('delete', old.id, {_columns('old.')}); END",
    f"CREATE TRIGGER {SEARCH}_update AFTER UPDATE OF {_columns()} ON {TABLE} BEGIN "
    f"INSERT INTO {SEARCH}({SEARCH}, rowid, {_columns()}) "
    f"VALUES ('delete', old.id, {_columns('old.')}); "
    f"INSERT INTO {SEARCH}(rowid, {_columns()}) VALUES (new.id, {_columns('new.')}); END",
    f"INSERT INTO {SEARCH}({SEARCH}) VALUES ('rebuild')",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {SEARCH}_update",
    f"DROP TRIGGER IF EXISTS {SEARCH}_delete",
    f"DROP TRIGGER IF EXISTS {SEARCH}_insert",
    f"DROP TABLE IF EXISTS {SEARCH}",
]
POSTGRESQL_CREATE = [
    f"CREATE INDEX IF NOT EXISTS req_{column}_trgm ON {TABLE} "
    f"USING gin (UPPER({column}) gin_trgm_ops)"
    for column in COLUMNS
]
POSTGRESQL_DROP = [f"DROP INDEX IF EXISTS req_{column}_trgm" for column in COLUMNS]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("requests_intake", "0006_proposal_signer_and_kak"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRESQL_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}),
        ),
    ]
