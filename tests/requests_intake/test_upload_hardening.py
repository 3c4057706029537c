"""Uploads: no user file name reaches the storage, downloads are attachments with a safe
name, and nothing uploaded is reachable under a URL a web server would serve or execute."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from requests_intake.models import Attachment, AttachmentKind
from requests_intake.services import attachment_upload
from workflow import demo
from workflow.states import State

HOSTILE_NAMES = [
    "../../../../etc/passwd.pdf",
    "..\\..\\windows\\system32\\surat.pdf",
    'surat"; filename="evil.html.pdf',
    "surat\r\nX-Injected: 1.pdf",
    "<script>alert(1)</script>.pdf",
    "Surat Permintaan résumé (final) — Dinas.pdf",
    "berkas.php.pdf",
    "x" * 240 + ".pdf",
    ".htaccess",
    "tanpa-ekstensi",
]
STORED = re.compile(r"^attachments/\d{4}/\d{2}/[0-9a-f]{32}\.(pdf|docx|pptx|xlsx|png|jpg)$")
SAFE_DOWNLOAD = re.compile(r'^attachment; filename="[A-Za-z0-9._ -]{1,84}\.pdf"$')


@pytest.fixture
def design(make_request):
    return make_request(State.DESIGN)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_no_user_file_name_reaches_the_storage(design, actors, name):
    attachment = attachment_upload(
        actor=actors["prakom"],
        request_id=design.pk,
        kind=AttachmentKind.PROGRAM_FLOW,
        upload=SimpleUploadedFile(name, demo.sample_pdf()),
    )
    # Only a generated hex name and the extension of the detected type: nothing of the user's.
    assert STORED.match(attachment.file.name), attachment.file.name
    path = Path(attachment.file.path).resolve()
    assert path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_downloads_are_attachments_with_a_safe_name(clients, design, actors, name):
    attachment = attachment_upload(
        actor=actors["prakom"],
        request_id=design.pk,
        kind=AttachmentKind.PROGRAM_FLOW,
        upload=SimpleUploadedFile(name, demo.sample_pdf()),
    )
    response = clients["kasi"].get(attachment.get_absolute_url())
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert SAFE_DOWNLOAD.match(disposition), disposition
    assert "\r" not in disposition and "\n" not in disposition
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == demo.sample_pdf()


def test_the_type_comes_from_the_content_not_the_name(design, actors):
    attachment = attachment_upload(
        actor=actors["prakom"],
        request_id=design.pk,
        kind=AttachmentKind.DATA_STRUCTURE,
        upload=SimpleUploadedFile("struktur.pdf", demo.sample_docx()),
    )
    assert attachment.file.name.endswith(".docx")
    assert attachment.original_name == "struktur.docx"


def test_uploads_are_outside_every_served_folder_and_have_no_url(design, clients):
    media = Path(settings.MEDIA_ROOT).resolve()
    served = [Path(settings.STATIC_ROOT).resolve(), *map(Path, settings.STATICFILES_DIRS)]
    assert not any(media.is_relative_to(folder.resolve()) for folder in served)
    assert settings.MEDIA_URL is None
    attachment = Attachment.objects.filter(request=design).first()
    for prefix in ("/media/", "/static/", "/"):
        response = clients["kasi"].get(prefix + attachment.file.name)
        assert response.status_code == 404


def test_the_production_media_folder_is_not_under_the_static_root():
    """The defaults keep var/media and var/staticfiles apart (the proxy serves only the
    latter)."""
    base = Path(settings.BASE_DIR)
    assert not (base / "var" / "media").is_relative_to(base / "var" / "staticfiles")
