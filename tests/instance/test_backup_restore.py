"""``manage.py backup`` / ``restore``: everything comes back into an empty instance."""

import hashlib
import importlib
import io
import json
import re
import tarfile
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations import RunPython

from instance.backup import MANIFEST_MEMBER, backed_up_models
from reports.models import Document
from requests_intake.models import ApplicationRequest, Attachment
from workflow import audit, demo
from workflow.models import TransitionLog, User
from workflow.states import State


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    yield
    ContentType.objects.clear_cache()  # restore recreated them; the test rolls that back


@pytest.fixture
def world(actors, make_request, django_capture_on_commit_callbacks):
    """Proposals in several states, with uploads and rendered official documents."""
    with django_capture_on_commit_callbacks(execute=True):
        designed = demo.walk(demo.create_draft(actors), actors, demo.path_to(State.DESIGN))
    rejected = make_request(State.REJECTED, app_name="Aplikasi yang ditolak")
    draft = make_request(State.DRAFT, app_name="Draf yang belum diajukan")
    assert Document.objects.filter(status="ready").count() >= 4
    return designed, rejected, draft


@pytest.fixture
def small_world(make_request):
    """Enough for the refusals: proposals and uploads, no rendered documents."""
    return make_request(State.DECISION), make_request(State.DRAFT, app_name="Draf")


def database_snapshot() -> dict:
    rows = {}
    for model in backed_up_models():
        fields = [f.attname for f in model._meta.concrete_fields]
        rows[model._meta.label] = list(model._base_manager.order_by("pk").values_list(*fields))
    rows["groups of users"] = sorted(
        (user.username, sorted(user.groups.values_list("name", flat=True)))
        for user in User.objects.all()
    )
    return rows


def stored_files() -> dict[str, str]:
    names = list(Attachment.objects.values_list("file", flat=True))
    names += [n for n in Document.objects.values_list("file", flat=True) if n]
    result = {}
    for name in names:
        with default_storage.open(name, "rb") as handle:
            result[name] = hashlib.sha256(handle.read()).hexdigest()
    return result


# Data migrations that seed rows a new instance starts with.
SEEDING_MIGRATIONS = (
    "workflow.migrations.0002_roles",
    "workflow.migrations.0004_seed_step_standards",
    "reports.migrations.0002_default_letterhead",
)


def empty_the_instance(settings, tmp_path) -> None:
    """What a new server looks like: a migrated database holding only what the migrations
    seed (roles, step standards, letterhead …), and an empty storage location."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # TRUNCATE refuses pending deferred checks
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        call_command("flush", interactive=False, verbosity=0)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    editor = SimpleNamespace(connection=connection)
    for name in SEEDING_MIGRATIONS:
        for operation in importlib.import_module(name).Migration.operations:
            if isinstance(operation, RunPython):
                operation.code(django_apps, editor)
    settings.MEDIA_ROOT = tmp_path / "new-media"
    assert not ApplicationRequest.objects.exists() and not User.objects.exists()
    assert Group.objects.filter(name="kasi").exists()


def backup(archive) -> str:
    """Run ``manage.py backup``; return the manifest SHA-256 it printed."""
    out = io.StringIO()
    call_command("backup", str(archive), stdout=out)
    printed = re.search(r"^manifest SHA-256 ([0-9a-f]{64})$", out.getvalue(), re.MULTILINE)
    assert printed, out.getvalue()
    return printed.group(1)


def test_a_restore_into_an_empty_instance_gives_everything_back(world, settings, tmp_path, capsys):
    rows, files = database_snapshot(), stored_files()
    fingerprint = audit.verify().fingerprint
    archive = tmp_path / "cadangan.tar.gz"
    call_command("backup", str(archive))
    out = capsys.readouterr().out
    assert f"{len(files)} files." in out
    expected = re.search(r"manifest SHA-256 ([0-9a-f]{64})", out).group(1)

    empty_the_instance(settings, tmp_path)
    assert not default_storage.exists(next(iter(files)))
    call_command("restore", str(archive), "--expect", expected)
    out = capsys.readouterr().out
    assert f"manifest SHA-256 {expected}" in out
    assert f"{len(files)} files restored and verified by SHA-256" in out

    assert database_snapshot() == rows
    assert stored_files() == files
    for attachment in Attachment.objects.all():
        assert files[attachment.file.name] == attachment.sha256
    report = audit.verify()
    assert report.problems == [] and report.fingerprint == fingerprint
    assert report.rows == len(rows["workflow.TransitionLog"]) > 0


def test_the_manifest_lists_every_member_with_its_sha256(world, tmp_path):
    archive = tmp_path / "b.tar.gz"
    call_command("backup", str(archive))
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile(MANIFEST_MEMBER).read())
        for entry in manifest["files"]:
            content = tar.extractfile("files/" + entry["name"]).read()
            assert hashlib.sha256(content).hexdigest() == entry["sha256"]
        database = tar.extractfile("database.json").read()
    assert hashlib.sha256(database).hexdigest() == manifest["database"]["sha256"]
    assert manifest["objects"]["requests_intake.applicationrequest"] == 3
    assert len(manifest["files"]) == len(stored_files())


def test_the_backup_keeps_microseconds_the_audit_hashes_depend_on(small_world, tmp_path):
    archive = tmp_path / "b.tar.gz"
    call_command("backup", str(archive))
    with tarfile.open(archive) as tar:
        data = json.loads(tar.extractfile("database.json").read())
    stamps = [r["fields"]["created_at"] for r in data if r["model"] == "workflow.transitionlog"]
    stored = [log.created_at.isoformat() for log in TransitionLog.objects.order_by("pk")]
    assert stamps == stored
    assert all(len(stamp.split(".")[1]) >= 6 for stamp in stamps if "." in stamp)


def test_a_damaged_archive_is_refused_and_nothing_changes(small_world, settings, tmp_path):
    archive = tmp_path / "b.tar.gz"
    expected = backup(archive)
    damaged = tmp_path / "rusak.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            content = source.extractfile(member).read()
            if member.name.startswith("files/attachments/"):
                content = content.replace(b"%%EOF", b"%%EOX")  # one changed byte
            member.size = len(content)
            target.addfile(member, io.BytesIO(content))
    empty_the_instance(settings, tmp_path)
    with pytest.raises(CommandError, match="does not match the manifest"):
        call_command("restore", str(damaged), "--expect", expected)
    with pytest.raises(CommandError, match="does not match the manifest"):
        call_command("restore", str(damaged), "--check", "--expect", expected)
    assert not User.objects.exists()


def test_a_restore_over_existing_data_is_refused(small_world, tmp_path):
    archive = tmp_path / "b.tar.gz"
    expected = backup(archive)
    before = TransitionLog.objects.count()
    with pytest.raises(CommandError, match="needs an empty instance"):
        call_command("restore", str(archive), "--expect", expected)
    assert TransitionLog.objects.count() == before


def test_an_existing_archive_is_never_overwritten(small_world, tmp_path):
    archive = tmp_path / "b.tar.gz"
    archive.write_bytes(b"older backup")
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(archive))
    assert archive.read_bytes() == b"older backup"


def rewrite(archive, target, edit) -> str:
    """Edit an archive's rows as an attacker would: ``edit(rows)`` changes database.json,
    then every manifest entry is recomputed. Returns the new manifest's SHA-256."""
    with tarfile.open(archive) as source:
        members = {m.name: source.extractfile(m).read() for m in source.getmembers()}
    rows = json.loads(members["database.json"])
    edit(rows)
    database = json.dumps(rows).encode()
    manifest = json.loads(members[MANIFEST_MEMBER])
    manifest["database"] = {
        "name": "database.json",
        "size": len(database),
        "sha256": hashlib.sha256(database).hexdigest(),
    }
    for row in rows:
        manifest["objects"].setdefault(row["model"], 0)
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["model"]] = counts.get(row["model"], 0) + 1
    manifest["objects"].update(counts)
    members["database.json"] = database
    members[MANIFEST_MEMBER] = json.dumps(manifest, indent=1).encode()
    with tarfile.open(target, "w:gz") as out:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            out.addfile(info, io.BytesIO(content))
    return hashlib.sha256(members[MANIFEST_MEMBER]).hexdigest()


def add_superuser(rows) -> None:
    user = next(r for r in rows if r["model"] == "workflow.user")
    forged = json.loads(json.dumps(user))
    forged["pk"] = max(r["pk"] for r in rows if r["model"] == "workflow.user") + 100
    forged["fields"].update(
        username="penyusup", is_superuser=True, is_staff=True, groups=[], user_permissions=[]
    )
    rows.insert(rows.index(user) + 1, forged)


class TestRestoreTrustsNoArchiveBlindly:
    def test_restore_and_check_refuse_without_the_expected_figure(
        self, small_world, settings, tmp_path, capsys
    ):
        archive = tmp_path / "b.tar.gz"
        expected = backup(archive)
        empty_the_instance(settings, tmp_path)
        for extra in ([], ["--check"]):
            with pytest.raises(CommandError, match="Give --expect") as refused:
                call_command("restore", str(archive), *extra)
            assert expected in str(refused.value)
            assert f"manifest SHA-256 {expected}" in capsys.readouterr().out
        with pytest.raises(CommandError, match="not the expected"):
            call_command("restore", str(archive), "--expect", "0" * 64)
        assert not User.objects.exists()

    def test_an_archive_edited_to_add_a_superuser_is_refused(
        self, small_world, settings, tmp_path, capsys
    ):
        archive, forged = tmp_path / "b.tar.gz", tmp_path / "forged.tar.gz"
        expected = backup(archive)
        forged_sha = rewrite(archive, forged, add_superuser)
        assert forged_sha != expected
        empty_the_instance(settings, tmp_path)
        for extra in ([], ["--check"]):
            with pytest.raises(CommandError, match="not the expected"):
                call_command("restore", str(forged), *extra, "--expect", expected)
            assert f"manifest SHA-256 {forged_sha}" in capsys.readouterr().out
        assert not User.objects.exists()
        # The genuine archive, with its figure, still restores.
        call_command("restore", str(archive), "--expect", expected)
        assert User.objects.exists() and not User.objects.filter(username="penyusup").exists()

    def test_check_verifies_the_archived_log_chains_as_restore_does(
        self, world, settings, tmp_path, capsys
    ):
        archive, forged = tmp_path / "b.tar.gz", tmp_path / "forged.tar.gz"
        expected = backup(archive)
        call_command("restore", str(archive), "--check", "--expect", expected)
        out = capsys.readouterr().out
        assert "verified" in out and f"audit fingerprint {audit.verify().fingerprint}" in out

        def overturn_decision(rows):
            decision = next(r for r in rows if r["model"] == "workflow.decision")
            decision["fields"]["needed"] = not decision["fields"]["needed"]

        # Even handed the forged archive's own figure, --check finds the changed decision.
        forged_sha = rewrite(archive, forged, overturn_decision)
        with pytest.raises(CommandError, match="archived transition log does not verify"):
            call_command("restore", str(forged), "--check", "--expect", forged_sha)
        empty_the_instance(settings, tmp_path)
        with pytest.raises(CommandError, match="restored transition log does not verify"):
            call_command("restore", str(forged), "--expect", forged_sha)
        assert not User.objects.exists()


class TestSignedBackups:
    def test_a_signed_archive_restores_with_its_key(self, small_world, settings, tmp_path):
        settings.SOPAPP_BACKUP_KEY = "kunci-cadangan-yang-panjang-dan-rahasia"
        archive = tmp_path / "b.tar.gz"
        expected = backup(archive)
        with tarfile.open(archive) as tar:
            assert "manifest.hmac" in tar.getnames()
        empty_the_instance(settings, tmp_path)
        call_command("restore", str(archive), "--check", "--expect", expected)
        call_command("restore", str(archive), "--expect", expected)
        assert ApplicationRequest.objects.count() == 2

    def test_a_forged_archive_fails_the_hmac_even_with_its_own_figure(
        self, small_world, settings, tmp_path
    ):
        settings.SOPAPP_BACKUP_KEY = "kunci-cadangan-yang-panjang-dan-rahasia"
        archive, forged = tmp_path / "b.tar.gz", tmp_path / "forged.tar.gz"
        backup(archive)
        forged_sha = rewrite(archive, forged, add_superuser)  # keeps the old manifest.hmac
        empty_the_instance(settings, tmp_path)
        for extra in (["--check"], []):
            with pytest.raises(CommandError, match="HMAC does not verify"):
                call_command("restore", str(forged), *extra, "--expect", forged_sha)
        assert not User.objects.exists()

    def test_an_unsigned_archive_or_another_key_is_refused_when_a_key_is_set(
        self, small_world, settings, tmp_path
    ):
        unsigned, signed = tmp_path / "unsigned.tar.gz", tmp_path / "signed.tar.gz"
        unsigned_sha = backup(unsigned)
        settings.SOPAPP_BACKUP_KEY = "kunci-lama"
        signed_sha = backup(signed)
        empty_the_instance(settings, tmp_path)
        settings.SOPAPP_BACKUP_KEY = "kunci-cadangan-yang-panjang-dan-rahasia"
        with pytest.raises(CommandError, match="not signed"):
            call_command("restore", str(unsigned), "--expect", unsigned_sha)
        with pytest.raises(CommandError, match="HMAC does not verify"):
            call_command("restore", str(signed), "--expect", signed_sha)
        assert not User.objects.exists()
