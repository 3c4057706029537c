"""The public verification page: genuine or not, and nothing of the proposal."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports.models import Document
from tests.reports.conftest import pdf_bytes
from workflow import demo

VERIFY = "/verifikasi/"


@pytest.fixture
def doc(submitted):
    return Document.objects.get()


def upload(client, content: bytes, code: str = "", name: str = "dokumen.pdf"):
    return client.post(
        VERIFY, {"code": code, "file": SimpleUploadedFile(name, content, "application/pdf")}
    )


def assert_no_proposal_content(html: str, doc: Document) -> None:
    req = doc.request
    for secret in (
        req.app_name,
        req.registration_number,
        req.unit.name,
        req.letter_number,
        req.contact_name,
        req.contact_email,
        req.background,
        doc.title,  # the title names the stage of the proposal
    ):
        assert secret not in html, secret


def test_the_qr_code_leads_to_a_page_that_needs_no_login(anon, doc):
    assert doc.verify_url == f"http://127.0.0.1:8000/verifikasi/{doc.code_display}/"
    response = anon.get(doc.verify_path)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kode asli." in html
    for shown in (doc.get_kind_display(), doc.number, doc.sha256, doc.issuer):
        assert shown in html
    assert_no_proposal_content(html, doc)


def test_a_retyped_code_is_accepted(anon, doc):
    typed = doc.code_display.lower().replace("0", "o").replace("-", " ")
    assert anon.get(reverse("reports:verify_code", args=[typed])).status_code == 200
    response = anon.get(VERIFY, {"kode": typed})
    assert response.status_code == 302 and response["Location"] == doc.verify_path


@pytest.mark.parametrize("code", ["ZZZZ-ZZZZ", "abc", "x" * 300, "%3Cscript%3E"])
def test_an_unknown_or_malformed_code_is_a_clear_404(anon, doc, code):
    response = anon.get(f"{VERIFY}{code}/")
    assert response.status_code == 404
    assert "Kode tidak dikenal." in response.content.decode()
    assert "<script>" not in response.content.decode()


def test_the_archived_pdf_matches(anon, doc):
    response = upload(anon, pdf_bytes(doc))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Cocok." in html and doc.number in html and doc.sha256 in html
    assert_no_proposal_content(html, doc)
    response = upload(anon, pdf_bytes(doc), code=doc.code_display)
    assert "Cocok." in response.content.decode()


def test_a_modified_pdf_does_not_match(anon, doc):
    content = pdf_bytes(doc)
    tampered = content.replace(doc.number.encode(), b"X" * len(doc.number))
    if tampered == content:  # the number sits in a compressed stream: change a byte instead
        tampered = content[:-20] + bytes([content[-20] ^ 1]) + content[-19:]
    assert tampered != content and tampered.startswith(b"%PDF-")
    for code in ("", doc.code_display):
        response = upload(anon, tampered, code=code)
        html = response.content.decode()
        assert response.status_code == 200
        assert "Tidak cocok." in html and "Cocok." not in html.replace("Tidak cocok.", "")
    response = upload(anon, content + b"\n% appended\n")
    assert "Tidak cocok." in response.content.decode()


def test_a_genuine_pdf_under_the_wrong_code_does_not_match(anon, actors, walk, doc):
    other = walk(demo.create_draft(actors), ("submit",))
    other_doc = Document.objects.get(request=other)
    response = upload(anon, pdf_bytes(doc), code=other_doc.code_display)
    assert "Tidak cocok." in response.content.decode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Berkas yang diunggah kosong."),
        (b"PK\x03\x04 not a pdf", "Berkas ini bukan PDF."),
        (b"<html>%PDF-</html>", "Berkas ini bukan PDF."),
    ],
)
def test_bad_uploads_get_a_clear_message(anon, db, content, message):
    response = upload(anon, content)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_an_empty_form_and_a_bad_code(anon, db):
    response = anon.post(VERIFY, {})
    assert response.status_code == 400
    assert "Isi kode verifikasi atau unggah berkas PDF." in response.content.decode()
    response = anon.post(VERIFY, {"code": "???"})
    assert response.status_code == 400
    assert "delapan huruf/angka" in response.content.decode()


def test_a_too_large_upload_is_refused(anon, db, settings):
    settings.SOPAPP_MAX_UPLOAD_MB = 1
    response = upload(anon, b"%PDF-" + b"0" * (1024 * 1024))
    assert response.status_code == 400
    assert "terlalu besar" in response.content.decode()


def test_the_verification_form_page(anon, db):
    response = anon.get(VERIFY)
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.content.decode()
    assert anon.put(VERIFY).status_code == 405
