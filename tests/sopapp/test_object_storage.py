"""Files on S3-compatible object storage: what several web nodes share instead of a disk.

Each test runs against moto's standalone S3 server, started on a loopback port for this
module and stopped after it; the settings point the default storage at a fresh bucket,
exactly as ``SOPAPP_FILE_STORAGE=s3`` does, and the local media folder must stay empty.
"""

import hashlib
import re
import uuid

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from reports.models import Document, DocumentStatus
from requests_intake.models import Attachment
from tests.instance.test_backup_restore import empty_the_instance, stored_files
from tests.reports.conftest import pdf_bytes
from tools.s3server import CREDENTIALS, s3_server
from workflow import audit, demo
from workflow.states import State


@pytest.fixture(scope="module")
def s3():
    with s3_server() as server:
        yield server


@pytest.fixture
def bucket(s3, settings, monkeypatch, tmp_path):
    for key, value in CREDENTIALS.items():
        monkeypatch.setenv(key, value)
    name = f"sopapp-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(name)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": s3.storage_options(name),
        },
    }
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "local-media-must-stay-empty"
    yield name
    assert not settings.MEDIA_ROOT.exists() or not any(settings.MEDIA_ROOT.rglob("*"))


def sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@pytest.fixture
def designed(actors, django_capture_on_commit_callbacks, bucket):
    with django_capture_on_commit_callbacks(execute=True):
        return demo.walk(demo.create_draft(actors), actors, demo.path_to(State.DESIGN))


def test_uploads_and_documents_are_objects_in_the_bucket(s3, bucket, designed):
    keys = set(s3.keys(bucket))
    for attachment in Attachment.objects.all():
        assert f"sopapp/{attachment.file.name}" in keys
    ready = Document.objects.filter(status=DocumentStatus.READY)
    assert ready.count() >= 4
    for doc in ready:
        assert f"sopapp/{doc.file.name}" in keys
        assert (
            sha(s3.client().get_object(Bucket=bucket, Key=f"sopapp/{doc.file.name}")["Body"].read())
            == doc.sha256
        )


def test_downloads_come_from_the_bucket(clients, bucket, designed):
    for attachment in Attachment.objects.filter(request=designed):
        response = clients["kasi"].get(f"/usulan/{designed.pk}/dokumen/{attachment.pk}/")
        assert response.status_code == 200
        assert sha(b"".join(response.streaming_content)) == attachment.sha256
    doc = Document.objects.filter(request=designed, status=DocumentStatus.READY).first()
    response = clients["kasi"].get(f"/usulan/{designed.pk}/dokumen-resmi/{doc.pk}/unduh/")
    assert response.status_code == 200
    assert sha(b"".join(response.streaming_content)) == doc.sha256


def test_an_upload_through_the_page_lands_in_the_bucket(s3, clients, bucket, designed):
    before = set(s3.keys(bucket))
    response = clients["prakom"].post(
        f"/usulan/{designed.pk}/unggah/",
        {"kind": "data_structure", "note": "", "file": demo.sample_upload("data_structure")},
    )
    assert response.status_code == 302
    new = Attachment.objects.filter(request=designed, kind="data_structure").latest("pk")
    assert set(s3.keys(bucket)) - before == {f"sopapp/{new.file.name}"}
    with default_storage.open(new.file.name, "rb") as handle:
        assert sha(handle.read()) == new.sha256


def test_the_verification_upload_matches_a_document_in_the_bucket(anon, bucket, designed):
    doc = Document.objects.filter(status=DocumentStatus.READY).first()
    content = pdf_bytes(doc)
    response = anon.post(
        "/verifikasi/",
        {"code": "", "file": SimpleUploadedFile("d.pdf", content, "application/pdf")},
    )
    assert response.status_code == 200
    assert "Cocok." in response.content.decode()


def test_the_health_check_writes_to_the_bucket_and_fails_without_it(s3, anon, db, bucket):
    response = anon.get("/health/")
    assert response.status_code == 200
    assert response.json()["checks"]["storage"] == "ok"
    assert not [k for k in s3.keys(bucket) if k.startswith("sopapp/health/")]  # cleaned up
    s3.client().delete_bucket(Bucket=bucket)
    from django.core.cache import cache

    cache.clear()  # a recent healthy answer may be reused; this one must look again
    response = anon.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"] == "error"
    s3.create_bucket(bucket)  # for the fixture's tear-down


def test_backup_and_restore_through_the_bucket(s3, bucket, designed, settings, tmp_path, capsys):
    files = stored_files()
    fingerprint = audit.verify().fingerprint
    archive = tmp_path / "cadangan.tar.gz"
    call_command("backup", str(archive))
    printed = capsys.readouterr().out
    assert f"{len(files)} files." in printed

    empty_the_instance(settings, tmp_path)
    settings.MEDIA_ROOT = tmp_path / "local-media-must-stay-empty"
    fresh = f"sopapp-{uuid.uuid4().hex[:12]}"  # the new instance's own, empty bucket
    s3.create_bucket(fresh)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": s3.storage_options(fresh),
        },
    }
    assert s3.keys(fresh) == []
    expect = re.search(r"\b([0-9a-f]{64})\b", printed)
    extra = ["--expect", expect.group(1)] if expect and "--expect" in _restore_options() else []
    call_command("restore", str(archive), *extra)
    assert f"{len(files)} files restored" in capsys.readouterr().out
    assert stored_files() == files
    assert len(s3.keys(fresh)) == len(files)
    report = audit.verify()
    assert report.problems == [] and report.fingerprint == fingerprint


def _restore_options() -> str:
    from instance.management.commands.restore import Command

    return Command().create_parser("manage.py", "restore").format_help()
