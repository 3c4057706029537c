"""The tamper-evident transition log: chained hashes and ``manage.py verify_audit``."""

import importlib

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from workflow import audit
from workflow.management.commands.verify_audit import Command as VerifyAudit
from workflow.models import TransitionLog
from workflow.states import State

TABLE = TransitionLog._meta.db_table


def rows(req) -> list[TransitionLog]:
    return list(TransitionLog.objects.filter(request=req).order_by("seq"))


def raw(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql.format(table=connection.ops.quote_name(TABLE)), params)


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

    def test_the_migration_seals_old_rows_exactly_as_the_services_do(self, checking):
        migration = importlib.import_module("workflow.migrations.0007_audit_hash_chain")
        for row in rows(checking[0]):
            assert migration.row_hash(row) == row.hash

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
