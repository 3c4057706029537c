"""Backup and restore of a whole instance: the database and the stored files, together.

A backup is one ``.tar.gz`` holding

- ``database.json``: every row of every table but sessions (Django's JSON serialization
  with full microsecond timestamps, natural keys for content types and permissions), taken
  inside one transaction (a REPEATABLE READ snapshot on PostgreSQL);
- ``files/<name>``: every file a row refers to (uploads, archived documents, the logo),
  read through the configured storage, so a local folder and S3 back up alike;
- ``manifest.json``: the SHA-256 and size of each of those members, the row count of each
  model, the applied migrations and the audit log's fingerprint;
- ``manifest.hmac`` when ``SOPAPP_BACKUP_KEY`` is set: an HMAC-SHA256 of the manifest's
  bytes under that key, which lives in the servers' environment, never in the database or
  the archive.

Anyone who can edit an archive can also recompute its manifest, so the manifest alone proves
nothing. ``backup`` prints the manifest's SHA-256; restore (and ``restore --check``) refuse
an archive unless the operator gives that figure back (``expect``), and, with a key set,
unless the HMAC verifies.

Restore refuses an archive whose members do not match the manifest, refuses a target that
is not empty or not migrated to the same migrations, then loads the rows and files in one
go and checks them again: every file by SHA-256 (against the manifest and against the
``sha256`` a row keeps for its file), every row count, and the transition log's chains.
Files are immutable once written (a new upload is a new file), so they are read after the
snapshot's transaction ended. Only a draft deleted in between takes its files along: the
backup then stops with "referenced but missing" and is simply run again.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import io
import json
import os
import tarfile
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "sopapp-backup/1"
DATABASE_MEMBER = "database.json"
MANIFEST_MEMBER = "manifest.json"
HMAC_MEMBER = "manifest.hmac"
FILES_PREFIX = "files/"
# Rebuilt by ``migrate`` (content types, permissions) or not worth keeping (sessions).
EXCLUDED_MODELS = {"contenttypes.contenttype", "auth.permission", "sessions.session"}
_CHUNK = 1024 * 1024


class BackupError(Exception):
    pass


class ExactJSONEncoder(DjangoJSONEncoder):
    """Keeps microseconds: DjangoJSONEncoder cuts them to milliseconds, which would change
    the audit log's hashed timestamps on the way back."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            return o.isoformat()
        if isinstance(o, datetime.time) and o.utcoffset() is None:
            return o.isoformat()
        return super().default(o)


def backed_up_models() -> list[type[models.Model]]:
    app_list = [(config, None) for config in apps.get_app_configs() if config.models_module]
    return [
        model
        for model in serializers.sort_dependencies(app_list, allow_cycles=True)
        if model._meta.label_lower not in EXCLUDED_MODELS
        and not model._meta.proxy
        and model._meta.managed
    ]


def _file_fields(model) -> list[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def _sha256_stream(handle) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := handle.read(_CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _applied_migrations() -> list[list[str]]:
    applied = MigrationRecorder(connection).applied_migrations()
    return sorted([app, name] for app, name in applied)


def _safe_name(name: str) -> str:
    path = PurePosixPath(name)
    if (
        not name
        or "\\" in name
        or "\x00" in name
        or path.is_absolute()
        or any(part in ("", ".", "..") for part in name.split("/"))
    ):
        raise BackupError(f"Unsafe file name in the archive: {name!r}")
    return name


@dataclass
class Summary:
    path: Path
    objects: Counter = field(default_factory=Counter)
    files: int = 0
    manifest_sha256: str = ""
    audit_fingerprint: str = ""
    signed: bool = False


def _backup_key() -> bytes | None:
    key = getattr(settings, "SOPAPP_BACKUP_KEY", "")
    return key.encode() if key else None


def manifest_hmac(data: bytes, key: bytes) -> str:
    return hmac.new(key, data, hashlib.sha256).hexdigest()


def _dump(stream, counts: Counter, file_names: set[str]) -> None:
    def rows() -> Iterator[models.Model]:
        for model in backed_up_models():
            fields = _file_fields(model)
            label = model._meta.label_lower
            for obj in model._base_manager.order_by(model._meta.pk.name).iterator():
                counts[label] += 1
                for f in fields:
                    name = getattr(obj, f.attname)
                    if name:
                        file_names.add(str(name))
                yield obj

    serializers.serialize(
        "json", rows(), stream=stream, cls=ExactJSONEncoder, use_natural_foreign_keys=True
    )


def create_backup(path: Path) -> Summary:
    """Write a backup archive to ``path`` (refuses to overwrite)."""
    from workflow.audit import verify

    path = Path(path)
    if path.exists():
        raise BackupError(f"{path} already exists.")
    summary = Summary(path=path)
    manifest: dict = {"format": FORMAT, "django": django.get_version()}
    partial = path.with_name(path.name + ".partial")
    outermost = not connection.in_atomic_block
    with tempfile.TemporaryDirectory() as workdir:
        dump = Path(workdir) / DATABASE_MEMBER
        file_names: set[str] = set()
        with transaction.atomic():
            if outermost and connection.vendor == "postgresql":
                with connection.cursor() as cursor:  # one consistent snapshot of every table
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            manifest["created_at"] = timezone.now().isoformat()
            manifest["database_vendor"] = connection.vendor
            manifest["migrations"] = _applied_migrations()
            with dump.open("w", encoding="utf-8") as stream:
                _dump(stream, summary.objects, file_names)
            # Files are hashed into the manifest below; the chains need only the rows here.
            summary.audit_fingerprint = verify(files=False).fingerprint
        # Files never change once written, so they can be read after the snapshot ends.
        with dump.open("rb") as handle:
            digest, size = _sha256_stream(handle)
        manifest["database"] = {"name": DATABASE_MEMBER, "size": size, "sha256": digest}
        manifest["objects"] = dict(sorted(summary.objects.items()))
        manifest["audit_fingerprint"] = summary.audit_fingerprint
        manifest["files"] = []
        try:
            with tarfile.open(partial, "w:gz") as archive:
                archive.add(dump, arcname=DATABASE_MEMBER)
                for name in sorted(file_names):
                    try:
                        stored = default_storage.open(name, "rb")
                    except FileNotFoundError:
                        raise BackupError(f"File {name!r} is referenced but missing.") from None
                    with stored:
                        digest, size = _sha256_stream(stored)
                        stored.seek(0)
                        info = tarfile.TarInfo(FILES_PREFIX + name)
                        info.size, info.mode = size, 0o640
                        info.mtime = int(timezone.now().timestamp())
                        archive.addfile(info, stored)
                    manifest["files"].append({"name": name, "size": size, "sha256": digest})
                data = json.dumps(manifest, indent=1, ensure_ascii=False).encode()
                info = tarfile.TarInfo(MANIFEST_MEMBER)
                info.size, info.mode = len(data), 0o640
                info.mtime = int(timezone.now().timestamp())
                archive.addfile(info, io.BytesIO(data))
                key = _backup_key()
                if key is not None:
                    signature = manifest_hmac(data, key).encode()
                    info = tarfile.TarInfo(HMAC_MEMBER)
                    info.size, info.mode = len(signature), 0o640
                    info.mtime = int(timezone.now().timestamp())
                    archive.addfile(info, io.BytesIO(signature))
                    summary.signed = True
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
    summary.files = len(manifest["files"])
    summary.manifest_sha256 = hashlib.sha256(data).hexdigest()
    return summary


def _read_member(archive: tarfile.TarFile, name: str):
    try:
        member = archive.getmember(name)
    except KeyError:
        raise BackupError(f"The archive has no {name}.") from None
    if not member.isfile():
        raise BackupError(f"{name} in the archive is not a regular file.")
    return member, archive.extractfile(member)


def _check_member(archive, name: str, expected: dict) -> None:
    member, handle = _read_member(archive, name)
    digest, size = _sha256_stream(handle)
    if digest != expected["sha256"] or size != expected["size"]:
        raise BackupError(f"{name} does not match the manifest (damaged or altered archive).")


def manifest_sha256(path: Path) -> str:
    """The figure ``backup`` printed for this archive (SHA-256 of its manifest's bytes)."""
    with tarfile.open(path, "r:gz") as archive:
        _member, handle = _read_member(archive, MANIFEST_MEMBER)
        return hashlib.sha256(handle.read()).hexdigest()


def _authenticate(archive: tarfile.TarFile, data: bytes, expect: str | None) -> None:
    """Refuse a manifest the operator did not vouch for, or one the key did not sign."""
    digest = hashlib.sha256(data).hexdigest()
    if expect is not None and not hmac.compare_digest(digest, expect.strip().lower()):
        raise BackupError(
            f"The archive's manifest SHA-256 is {digest}, not the expected {expect.strip()}: "
            "this is not the archive that backup wrote (altered or another one)."
        )
    key = _backup_key()
    if key is None:
        return
    try:
        _member, handle = _read_member(archive, HMAC_MEMBER)
    except BackupError:
        raise BackupError(
            "SOPAPP_BACKUP_KEY is set but the archive is not signed: refused."
        ) from None
    signature = handle.read().decode("ascii", "replace").strip()
    if not hmac.compare_digest(signature, manifest_hmac(data, key)):
        raise BackupError(
            "The manifest's HMAC does not verify under SOPAPP_BACKUP_KEY (altered archive, "
            "or signed with another key): refused."
        )


def read_manifest(path: Path, *, expect: str | None = None) -> dict:
    with tarfile.open(path, "r:gz") as archive:
        _member, handle = _read_member(archive, MANIFEST_MEMBER)
        data = handle.read()
        _authenticate(archive, data, expect)
    manifest = json.loads(data.decode())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Not a {FORMAT} archive.")
    return manifest


def verify_archive(path: Path, *, expect: str | None = None, chains: bool = False) -> dict:
    """Check the manifest (``expect``, HMAC) and every member against it; with ``chains``
    also every chain of the transition log in the archived rows. Return the manifest."""
    manifest = read_manifest(path, expect=expect)
    expected = {FILES_PREFIX + _safe_name(f["name"]): f for f in manifest["files"]}
    expected[DATABASE_MEMBER] = manifest["database"]
    with tarfile.open(path, "r:gz") as archive:
        present = {m.name for m in archive.getmembers()} - {MANIFEST_MEMBER, HMAC_MEMBER}
        if present != set(expected):
            raise BackupError("The archive's members do not match its manifest.")
        for name, entry in expected.items():
            _check_member(archive, name, entry)
        if chains:
            _member, handle = _read_member(archive, DATABASE_MEMBER)
            rows = json.load(handle)
    if chains:
        _check_archived_chains(rows, manifest)
    return manifest


def _instance(model, pk, fields: dict, users: dict):
    """An unsaved model instance from one serialized row (user keys resolved to ids)."""
    names, values = [], []
    for f in model._meta.concrete_fields:
        if f.primary_key:
            names.append(f.attname)
            values.append(f.to_python(pk))
            continue
        if f.name not in fields:
            continue
        value = fields[f.name]
        if f.is_relation:
            if isinstance(value, list):  # a natural key: the only ones here are users'
                try:
                    value = users[tuple(value)]
                except KeyError:
                    raise BackupError(f"{model._meta.label} {pk}: unknown user {value}.") from None
        else:
            value = f.to_python(value)
        names.append(f.attname)
        values.append(value)
    return model.from_db(None, names, values)


def _check_archived_chains(rows: list[dict], manifest: dict) -> None:
    """What restore checks after loading, done on the archived rows: every log chain and
    every file's SHA-256 against its row, and the audit fingerprint in the manifest."""
    from reports.models import Document, DocumentStatus
    from requests_intake.models import ApplicationRequest, Attachment
    from workflow.audit import AuditData, step_record_models, verify_data
    from workflow.models import TransitionLog

    user_label = get_user_model()._meta.label_lower
    users = {
        (row["fields"][get_user_model().USERNAME_FIELD],): row["pk"]
        for row in rows
        if row["model"] == user_label
    }
    record_models = {m._meta.label_lower: m for m in step_record_models()}
    data = AuditData(proposals=[], logs=[])
    for row in rows:
        label = row["model"]
        if label == "requests_intake.applicationrequest":
            data.proposals.append(_instance(ApplicationRequest, row["pk"], row["fields"], users))
        elif label == "workflow.transitionlog":
            data.logs.append(_instance(TransitionLog, row["pk"], row["fields"], users))
        elif label == "requests_intake.attachment":
            attachment = _instance(Attachment, row["pk"], row["fields"], users)
            data.attachments[attachment.pk] = attachment
        elif label == "reports.document" and row["fields"]["status"] == DocumentStatus.READY:
            data.documents.append(_instance(Document, row["pk"], row["fields"], users))
        elif label in record_models:
            record = _instance(record_models[label], row["pk"], row["fields"], users)
            data.records.setdefault(record.log_id, []).append(record)
    digests = {f["name"]: f["sha256"] for f in manifest["files"]}
    data.file_digest = digests.get
    report = verify_data(data)
    if report.problems or report.fingerprint != manifest["audit_fingerprint"]:
        raise BackupError(
            "The archived transition log does not verify: "
            + ("; ".join(str(p) for p in report.problems[:5]) or "the audit fingerprint differs")
        )


def _refuse_non_empty(manifest: dict) -> None:
    from requests_intake.models import ApplicationRequest

    if get_user_model().objects.exists() or ApplicationRequest.objects.exists():
        raise BackupError(
            "Restore needs an empty instance: a new database after `manage.py migrate` "
            "(no users, no proposals) and an empty storage location."
        )
    taken = [f["name"] for f in manifest["files"] if default_storage.exists(f["name"])]
    if taken:
        raise BackupError(f"The storage already holds {len(taken)} of the files, e.g. {taken[0]}.")
    if _applied_migrations() != manifest["migrations"]:
        raise BackupError(
            "This instance's applied migrations differ from the backup's: install the "
            "version of the application the backup was taken with and run `migrate`."
        )


def _check_restored(manifest: dict) -> None:
    from workflow.audit import verify

    counts: Counter[str] = Counter()
    for model in backed_up_models():
        count = model._base_manager.count()
        if count:
            counts[model._meta.label_lower] = count
    expected = Counter({k: v for k, v in manifest["objects"].items() if v})
    if counts != expected:
        differing = ", ".join(
            f"{label} {counts[label]} (backup: {expected[label]})"
            for label in sorted(set(counts) | set(expected))
            if counts[label] != expected[label]
        )
        raise BackupError(f"Row counts after loading differ from the manifest: {differing}.")
    by_name = {f["name"]: f for f in manifest["files"]}
    for entry in manifest["files"]:
        with default_storage.open(entry["name"], "rb") as handle:
            digest, _size = _sha256_stream(handle)
        if digest != entry["sha256"]:
            raise BackupError(f"{entry['name']} reads back differently from the backup.")
    # Rows that keep their own file's SHA-256 (attachments, archived documents) must agree.
    for model in backed_up_models():
        fields = _file_fields(model)
        if not fields or not any(f.name == "sha256" for f in model._meta.concrete_fields):
            continue
        for name, digest in model._base_manager.values_list(fields[0].attname, "sha256"):
            if name and digest and by_name[name]["sha256"] != digest:
                raise BackupError(f"{name} does not match the SHA-256 its row records.")
    report = verify(files=False)  # every file was re-read and compared just above
    if report.problems or report.fingerprint != manifest["audit_fingerprint"]:
        raise BackupError(
            "The restored transition log does not verify: "
            + ("; ".join(str(p) for p in report.problems[:5]) or "the audit fingerprint differs")
        )


def _clear_seeded_rows() -> None:
    """Empty the tables the backup fills: ``migrate`` seeded some (roles, step standards …)
    and the backup brings its own. Foreign keys are checked at commit, so order is free."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in reversed(backed_up_models()):
            for m2m in model._meta.local_many_to_many:
                through = m2m.remote_field.through
                if through is not None and through._meta.auto_created:
                    cursor.execute(f"DELETE FROM {quote(through._meta.db_table)}")  # noqa: S608
            cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")  # noqa: S608


def restore_backup(path: Path, *, expect: str | None) -> dict:
    """Restore ``path`` into this empty instance; return the manifest.

    ``expect`` is the manifest SHA-256 ``backup`` printed; ``None`` skips that check (for
    callers that checked it themselves).
    """
    path = Path(path)
    manifest = verify_archive(path, expect=expect)
    _refuse_non_empty(manifest)
    written: list[str] = []
    try:
        with tempfile.TemporaryDirectory() as workdir, transaction.atomic():
            _clear_seeded_rows()
            with tarfile.open(path, "r:gz") as archive:
                _member, handle = _read_member(archive, DATABASE_MEMBER)
                dump = Path(workdir) / DATABASE_MEMBER
                with dump.open("wb") as out:
                    while chunk := handle.read(_CHUNK):
                        out.write(chunk)
                call_command("loaddata", str(dump), verbosity=0)
                for entry in manifest["files"]:
                    name = entry["name"]
                    _member, handle = _read_member(archive, FILES_PREFIX + name)
                    saved = default_storage.save(name, File(handle, name=name))
                    written.append(saved)
                    if saved != name:
                        raise BackupError(f"The storage renamed {name} to {saved}.")
            _check_restored(manifest)
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise
    return manifest
