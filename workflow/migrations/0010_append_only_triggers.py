"""On PostgreSQL, the database itself refuses to rewrite history.

- the transition log and every step record: no UPDATE, no DELETE;
- attachments: no UPDATE (a new upload is a new row), no DELETE once the proposal left the
  draft (deleting a draft takes its files along);
- archived documents: no UPDATE or DELETE once ``ready`` (rendering fills in a pending row,
  a failed one is retried).

TRUNCATE (``flush``) is left alone: emptying a whole instance is not rewriting one record.
SQLite has no such guard here; ``verify_audit`` reports changes on both.
"""

from django.db import migrations

STEP_RECORD_TABLES = [
    "workflow_receipt",
    "workflow_disposition",
    "workflow_decision",
    "workflow_designrecord",
    "workflow_presentationround",
    "workflow_reviewround",
    "workflow_reportrecord",
    "workflow_check",
    "workflow_socialisation",
]

FUNCTIONS = """
CREATE OR REPLACE FUNCTION sopapp_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'sopapp: % on %.% refused: this record is append-only',
        TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION sopapp_refuse_attachment_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND EXISTS (
        SELECT 1 FROM requests_intake_applicationrequest
        WHERE id = OLD.request_id AND state = 'draft'
    ) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'sopapp: % on an attachment refused: uploads are never changed',
        TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION sopapp_refuse_archived_document_change() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'ready' THEN
        RAISE EXCEPTION 'sopapp: % on an archived document refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""


def _triggers() -> list[tuple[str, str]]:
    pairs = [("workflow_transitionlog", "sopapp_refuse_change")]
    pairs += [(table, "sopapp_refuse_change") for table in STEP_RECORD_TABLES]
    pairs.append(("requests_intake_attachment", "sopapp_refuse_attachment_change"))
    pairs.append(("reports_document", "sopapp_refuse_archived_document_change"))
    return pairs


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTIONS, params=None)
    for table, function in _triggers():
        schema_editor.execute(
            f"CREATE TRIGGER sopapp_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {function}()"
        )


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, _function in _triggers():
        schema_editor.execute(f"DROP TRIGGER IF EXISTS sopapp_append_only ON {table}")
    for function in (
        "sopapp_refuse_change",
        "sopapp_refuse_attachment_change",
        "sopapp_refuse_archived_document_change",
    ):
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {function}()")


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0009_audit_covers_decisions_and_files"),
        ("requests_intake", "0005_completed_index"),
        ("reports", "0003_admin_permissions"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
