"""The tamper-evident transition log: chained hashes and ``manage.py verify_audit``."""

import hashlib
import importlib

import pytest
from django.apps import apps as django_apps
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from instance.management.commands.verify_audit import Command as VerifyAudit
from reports.models import Document, DocumentStatus
from requests_intake.models import ApplicationRequest, Attachment
from workflow import audit
from workflow.models import Check, Decision, Receipt, TransitionLog
from workflow.states import State

TABLE = TransitionLog._meta.db_table


def rows(req) -> list[TransitionLog]:
    return list(TransitionLog.objects.filter(request=req).order_by("seq"))


def tampering() -> None:
    """Act as someone with full control of the database: on PostgreSQL, switch off the
    append-only triggers for the rest of this (test) transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")


def raw(sql: str, params: list, table: str = TABLE) -> None:
    tampering()
    with connection.cursor() as cursor:
        cursor.execute(sql.format(table=connection.ops.quote_name(table)), params)


def purge(model, pks: list[int]) -> None:
    """Delete rows behind the application's back, with whatever points at them (as someone
    hiding a transition would have to, or the foreign keys would give it away)."""
    if not pks:
        return
    for rel in model._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)):
            continue
        dependents = rel.related_model._base_manager.filter(**{f"{rel.field.attname}__in": pks})
        purge(rel.related_model, list(dependents.values_list("pk", flat=True)))
    tampering()
    table = connection.ops.quote_name(model._meta.db_table)
    marks = ", ".join(["%s"] * len(pks))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id IN ({marks})", pks)


def verify_output(capsys) -> tuple[int, str]:
    """Run the command as ``manage.py`` would; return its exit status and stderr."""
    with pytest.raises(SystemExit) as exited:
        VerifyAudit().run_from_argv(["manage.py", "verify_audit"])
    return exited.value.code, capsys.readouterr().err


@pytest.fixture
def checking(make_request):
    """A proposal at the Kasi's check (nine transitions) and one still in the draft."""
    return make_request(State.KASI_CHECK), make_request(State.DRAFT)


class TestChain:
    def test_each_row_is_chained_to_the_one_before_it(self, checking):
        req, _draft = checking
        log = rows(req)
        assert [row.seq for row in log] == list(range(1, len(log) + 1))
        assert log[0].prev_hash == audit.GENESIS
        for before, after in zip(log, log[1:], strict=False):
            assert after.prev_hash == before.hash
        assert all(row.hash == audit.row_hash(row) for row in log)
        assert len({row.hash for row in log}) == len(log)

    def test_the_hash_covers_the_content(self, checking):
        row = rows(checking[0])[2]
        original = row.hash
        for name, value in [("note", row.note + "."), ("actor_id", row.actor_id + 1)]:
            setattr(row, name, value)
            assert audit.row_hash(row) != original
            row.refresh_from_db()

    def test_the_migration_seals_old_rows_exactly_as_format_1_does(self, checking):
        migration = importlib.import_module("workflow.migrations.0007_audit_hash_chain")
        for row in rows(checking[0]):
            assert row.hash_version == audit.CURRENT_VERSION == 2
            row.hash_version = 1
            assert migration.row_hash(row) == audit.row_hash(row)

    def test_an_intact_log_verifies(self, checking, capsys):
        call_command("verify_audit")
        out = capsys.readouterr().out
        assert f"{len(rows(checking[0]))} log rows of 2 proposals checked: intact." in out
        assert "fingerprint " in out

    def test_the_fingerprint_moves_with_every_transition(self, checking, actors):
        from workflow import demo

        before = audit.verify().fingerprint
        demo.take(checking[0], "kasi_accept", actors)
        after = audit.verify()
        assert after.fingerprint != before and not after.problems


class TestTamperingIsReported:
    def test_a_changed_note(self, checking, capsys):
        req, _draft = checking
        row = rows(req)[4]
        raw("UPDATE {table} SET note = %s WHERE id = %s", ["diubah diam-diam", row.pk])
        status, err = verify_output(capsys)
        assert status == 1
        assert f"TAMPERED {req.registration_number}" in err
        assert f"seq {row.seq} (id {row.pk}) was changed" in err

    def test_a_changed_actor_with_its_hash_recomputed(self, checking, users, capsys):
        req, _draft = checking
        row = rows(req)[3]
        row.actor_id = users["kasi"].pk
        raw(
            "UPDATE {table} SET actor_id = %s, hash = %s WHERE id = %s",
            [row.actor_id, audit.row_hash(row), row.pk],
        )
        status, err = verify_output(capsys)
        assert status == 1
        assert f"seq {row.seq + 1} " in err and "does not follow the row before it" in err

    def test_a_removed_row(self, checking, capsys):
        req, _draft = checking
        first = rows(req)[0]  # the submission: no step record points at it
        purge(TransitionLog, [first.pk])
        status, err = verify_output(capsys)
        assert status == 1
        assert "log row(s) seq 1 removed" in err

    def test_removed_latest_rows(self, checking, capsys):
        req, _draft = checking
        last = rows(req)[-1]
        purge(TransitionLog, [last.pk])
        status, err = verify_output(capsys)
        assert status == 1
        assert "the log ends in" in err and "latest rows removed" in err

    def test_a_removed_return_loop_that_ends_in_the_same_state(self, make_request, actors):
        from workflow import demo

        req = make_request(State.KASI_CHECK)
        req = demo.walk(req, actors, ["kasi_return", "submit_report"])
        assert req.state == State.KASI_CHECK
        purge(TransitionLog, [row.pk for row in rows(req)[-2:]])
        problems = audit.verify([req.pk]).problems
        assert any("latest rows removed" in str(p) for p in problems)

    def test_every_row_of_a_submitted_proposal_removed(self, checking):
        req, _draft = checking
        purge(TransitionLog, [row.pk for row in rows(req)])
        problems = [str(p) for p in audit.verify().problems]
        assert problems == [
            f"{req.registration_number} (id {req.pk}): every log row removed "
            "(the proposal was submitted)"
        ]

    def test_the_command_refuses_through_call_command_too(self, checking):
        raw("UPDATE {table} SET note = %s WHERE id = %s", ["x", rows(checking[0])[1].pk])
        with pytest.raises(CommandError, match="1 problem"):
            call_command("verify_audit")


@pytest.fixture
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def checked(make_request, _immediate_tasks, django_capture_on_commit_callbacks):
    """A proposal past the Kasi's check, with its checkpoint documents rendered."""
    with django_capture_on_commit_callbacks(execute=True):
        req = make_request(State.KABID_CHECK)
    assert Document.objects.filter(request=req, status=DocumentStatus.READY).exists()
    assert audit.verify().problems == []
    return req


def sql(model, assignments: str, params: list) -> None:
    """``UPDATE <model's table> SET <assignments> WHERE …`` behind the application's back."""
    raw(f"UPDATE {{table}} SET {assignments}", params, table=model._meta.db_table)


def problems_of(req) -> list[str]:
    return [str(p) for p in audit.verify([req.pk]).problems]


def overwrite(name: str, content: bytes) -> None:
    path = default_storage.path(name)
    with open(path, "wb") as handle:
        handle.write(content)


class TestDecisionsAndFilesAreCovered:
    """Every tamper the chain of moves alone let through is now reported."""

    def test_a_decision_turned_from_perlu_to_tidak_perlu(self, checked, capsys):
        decision = Decision.objects.get(request=checked)
        assert decision.needed is True
        seq = decision.log.seq
        sql(Decision, "needed = %s WHERE id = %s", [False, decision.pk])
        status, err = verify_output(capsys)
        assert status == 1
        assert f"seq {seq} (id {decision.log_id}) was changed" in err

    def test_a_decision_turned_from_tidak_perlu_to_perlu(self, make_request):
        req = make_request(State.REJECTED)
        decision = Decision.objects.get(request=req)
        sql(Decision, "needed = %s WHERE id = %s", [True, decision.pk])
        assert any(f"(id {decision.log_id}) was changed" in p for p in problems_of(req))

    def test_a_decision_reason_rewritten(self, checked):
        decision = Decision.objects.get(request=checked)
        sql(Decision, "reason = %s WHERE id = %s", ["Alasan lain", decision.pk])
        assert any(f"(id {decision.log_id}) was changed" in p for p in problems_of(checked))

    def test_a_check_turned_from_accept_to_return(self, checked):
        check = Check.objects.get(request=checked)
        assert check.accepted is True
        sql(Check, "accepted = %s WHERE id = %s", [False, check.pk])
        assert any(f"(id {check.log_id}) was changed" in p for p in problems_of(checked))

    def test_a_check_turned_from_return_to_accept(self, make_request, actors):
        from workflow import demo

        req = demo.walk(make_request(State.KASI_CHECK), actors, ["kasi_return"])
        check = Check.objects.get(request=req)
        sql(Check, "accepted = %s WHERE id = %s", [True, check.pk])
        assert any(f"(id {check.log_id}) was changed" in p for p in problems_of(req))

    def test_a_step_record_removed(self, checked):
        check = Check.objects.get(request=checked)
        purge(Check, [check.pk])
        assert any(f"(id {check.log_id}) was changed" in p for p in problems_of(checked))

    def test_a_receipt_agenda_number_changed(self, checked):
        receipt = Receipt.objects.get(request=checked)
        sql(Receipt, "agenda_number = %s WHERE id = %s", ["AG-999", receipt.pk])
        assert any(f"(id {receipt.log_id}) was changed" in p for p in problems_of(checked))

    def test_the_proposals_unit_changed(self, checked, units):
        other = units["disdik"]
        assert checked.unit_id != other.pk
        sql(ApplicationRequest, "unit_id = %s WHERE id = %s", [other.pk, checked.pk])
        found = problems_of(checked)
        assert len([p for p in found if "was changed" in p]) == len(rows(checked))

    def test_the_proposals_name_changed(self, checked):
        sql(ApplicationRequest, "app_name = %s WHERE id = %s", ["Aplikasi lain", checked.pk])
        assert any("was changed" in p for p in problems_of(checked))

    def test_an_attachments_hash_changed(self, checked):
        letter = Attachment.objects.filter(request=checked).order_by("pk").first()
        submit = rows(checked)[0]
        assert [letter.pk, letter.sha256] in submit.attachments
        sql(Attachment, "sha256 = %s WHERE id = %s", ["f" * 64, letter.pk])
        found = problems_of(checked)
        assert any(
            f"attachment id {letter.pk}" in p and "other than the one log row seq 1 sealed" in p
            for p in found
        )
        assert any(f"attachment id {letter.pk}: the stored file" in p for p in found)

    def test_an_attachment_replaced_with_its_row_made_to_match(self, checked):
        letter = Attachment.objects.filter(request=checked).order_by("pk").first()
        forged = b"%PDF-1.4\n% another letter\n%%EOF\n"
        overwrite(letter.file.name, forged)
        digest = hashlib.sha256(forged).hexdigest()
        sql(Attachment, "sha256 = %s, size = %s WHERE id = %s", [digest, len(forged), letter.pk])
        assert any(
            f"attachment id {letter.pk}" in p and "sealed" in p for p in problems_of(checked)
        )

    def test_an_attachment_swapped_on_disk(self, checked):
        letter = Attachment.objects.filter(request=checked).order_by("pk").first()
        overwrite(letter.file.name, b"%PDF-1.4\n% swapped\n%%EOF\n")
        assert any(f"attachment id {letter.pk}: the stored file" in p for p in problems_of(checked))

    def test_an_archived_pdf_swapped_on_disk(self, checked, capsys):
        doc = Document.objects.filter(request=checked, status=DocumentStatus.READY).first()
        overwrite(doc.file.name, b"%PDF-1.4\n% a forged receipt\n%%EOF\n")
        call_command("verify_audit", "--skip-files")  # rows only: the files are not read
        assert "intact" in capsys.readouterr().out
        status, err = verify_output(capsys)
        assert status == 1
        assert f"archived document {doc.number or doc.code_display}: the stored PDF" in err

    def test_a_row_set_back_to_the_old_format_with_its_hash_recomputed(self, checked):
        row = rows(checked)[-1]
        row.hash_version = 1
        sql(
            TransitionLog,
            "hash_version = 1, hash = %s WHERE id = %s",
            [audit.row_hash(row), row.pk],
        )
        assert any("claims an older hash format" in p for p in problems_of(checked))


class TestOldRowsStillVerify:
    def test_a_chain_sealed_in_format_1_verifies_and_continues_in_format_2(
        self, make_request, actors
    ):
        from workflow import demo

        migration = importlib.import_module("workflow.migrations.0007_audit_hash_chain")
        req = make_request(State.KASI_FORWARD)
        # Rewrite the chain as the version before format 2 wrote it.
        prev = audit.GENESIS
        for row in rows(req):
            row.prev_hash, row.hash_version, row.attachments = prev, 1, []
            row.hash = prev = migration.row_hash(row)
            sql(
                TransitionLog,
                "prev_hash = %s, hash = %s, hash_version = 1, attachments = %s WHERE id = %s",
                [row.prev_hash, row.hash, "[]", row.pk],
            )
        # The proposal's log head, as the migration that introduced it fills it.
        heads = importlib.import_module("requests_intake.migrations.0010_log_head_on_proposal")
        heads.fill_log_heads(django_apps, None)
        req.refresh_from_db()
        assert problems_of(req) == []
        req = demo.walk(req, actors, ["forward_to_kabid"])
        log = rows(req)
        assert [r.hash_version for r in log] == [1, 1, 2]
        assert log[-1].attachments  # the letter, sealed by the first row of format 2
        assert problems_of(req) == []


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the append-only triggers are PostgreSQL's"
)
class TestTheDatabaseRefusesRewrites:
    @pytest.mark.parametrize(
        "statement",
        [
            "UPDATE workflow_transitionlog SET note = 'x' WHERE request_id = %s",
            "DELETE FROM workflow_transitionlog WHERE request_id = %s",
            "UPDATE workflow_decision SET needed = false WHERE request_id = %s",
            "DELETE FROM workflow_check WHERE request_id = %s",
            "UPDATE workflow_receipt SET agenda_number = 'x' WHERE request_id = %s",
            "UPDATE requests_intake_attachment SET sha256 = 'x' WHERE request_id = %s",
            "DELETE FROM requests_intake_attachment WHERE request_id = %s",
            "UPDATE reports_document SET sha256 = 'x' WHERE request_id = %s",
            "DELETE FROM reports_document WHERE request_id = %s",
        ],
    )
    def test_a_rewrite_is_refused(self, checked, statement):
        with (
            pytest.raises(DatabaseError, match="refused"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [checked.pk])

    def test_a_draft_with_its_letter_can_still_be_deleted(self, make_request, actors):
        from workflow.services import proposal_delete_draft

        draft = make_request(State.DRAFT)
        assert Attachment.objects.filter(request=draft).exists()
        proposal_delete_draft(actor=actors["pemohon"], proposal_id=draft.pk)
        assert not ApplicationRequest.objects.filter(pk=draft.pk).exists()
