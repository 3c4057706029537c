"""Downloads, previews, rekam jejak and retry: only for those who may see the proposal."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports import services
from reports.models import Document, DocumentStatus
from reports.qr import qr_svg
from tests.reports.conftest import pdf_bytes
from workflow import demo

ALLOWED = ["pemohon", "kasi", "kabid", "kadis", "prakom"]


@pytest.fixture
def doc(submitted):
    return Document.objects.get()


def urls(doc) -> dict[str, str]:
    return {
        "download": reverse("reports:download", args=[doc.request_id, doc.pk]),
        "preview": reverse("reports:preview", args=[doc.request_id, doc.pk]),
    }


@pytest.mark.parametrize("who", ALLOWED)
def test_download_for_everyone_who_may_see_the_proposal(clients, doc, who):
    response = clients[who].get(urls(doc)["download"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="tanda_terima-')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == pdf_bytes(doc)


def test_the_other_units_pemohon_gets_404_for_every_document(clients, actors, walk, committing):
    req = walk(demo.create_draft(actors), ("submit", "receive", "forward_to_kabid"))
    committing(services.record_request, actor=actors["kasi"], req=req)
    outsider = clients["pemohon2"]
    docs = list(Document.objects.filter(request=req))
    assert len(docs) == 3
    for doc in docs:
        for url in urls(doc).values():
            assert outsider.get(url).status_code == 404, url
        retry = reverse("reports:retry", args=[req.pk, doc.pk])
        assert outsider.post(retry).status_code == 404
    assert outsider.post(reverse("reports:record", args=[req.pk])).status_code == 404
    # A document id under a proposal it does not belong to is a 404 too.
    other = walk(demo.create_draft({**actors, "pemohon": actors["pemohon"]}), ("submit",))
    mixed = reverse("reports:download", args=[other.pk, docs[0].pk])
    assert clients["kasi"].get(mixed).status_code == 404
    assert Document.objects.filter(request=req).count() == 3


def test_a_draft_s_documents_stay_with_its_unit(clients, actors, committing):
    req = demo.create_draft(actors)
    doc = committing(services.record_request, actor=actors["pemohon"], req=req)
    assert clients["pemohon"].get(urls(doc)["download"]).status_code == 200
    assert clients["kasi"].get(urls(doc)["download"]).status_code == 404  # drafts are private
    assert clients["pemohon2"].get(urls(doc)["download"]).status_code == 404


def test_anonymous_is_sent_to_login(anon, doc):
    for url in [*urls(doc).values()]:
        response = anon.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/masuk/")
    response = anon.post(reverse("reports:record", args=[doc.request_id]))
    assert response.status_code == 302 and "/masuk/" in response["Location"]


def test_wrong_methods(clients, doc):
    assert clients["kasi"].post(urls(doc)["download"]).status_code == 405
    assert clients["kasi"].get(reverse("reports:record", args=[doc.request_id])).status_code == 405
    retry = reverse("reports:retry", args=[doc.request_id, doc.pk])
    assert clients["kasi"].get(retry).status_code == 405


def test_preview_is_the_same_document_as_a_web_page(clients, doc):
    response = clients["pemohon"].get(urls(doc)["preview"])
    assert response.status_code == 200
    html = response.content.decode()
    assert "Pratinjau cetak" in html and doc.sha256 in html
    assert doc.number in html and doc.code_display in html
    assert doc.request.registration_number in html
    assert qr_svg(doc.verify_url) in html  # the QR code leads to the verification page
    # The page's CSP allows no inline style: the document's stylesheet is linked.
    assert "<style" not in html and 'style="' not in html
    css = clients["pemohon"].get(reverse("reports:document_css"))
    assert css.status_code == 200 and css["Content-Type"].startswith("text/css")
    assert b"@page" in css.content


def test_a_pending_document_shows_as_being_made_and_cannot_be_downloaded(clients, actors):
    req = demo.walk(demo.create_draft(actors), actors, ("submit",))  # not committed: not queued
    doc = Document.objects.get(log=req.log.get())
    assert doc.status == DocumentStatus.PENDING
    page = clients["pemohon"].get(req.get_absolute_url()).content.decode()
    assert "sedang dibuat" in page and doc.number in page
    assert urls(doc)["download"] not in page
    assert clients["pemohon"].get(urls(doc)["download"]).status_code == 404
    assert clients["pemohon"].get(urls(doc)["preview"]).status_code == 200


def test_the_proposal_page_lists_documents_with_download_links(clients, doc):
    page = clients["pemohon"].get(doc.request.get_absolute_url())
    html = page.content.decode()
    assert "Dokumen resmi" in html
    assert doc.title in html and doc.number in html
    assert urls(doc)["download"] in html and urls(doc)["preview"] in html
    assert reverse("reports:record", args=[doc.request_id]) in html


def test_the_document_list_costs_the_same_queries_for_few_and_many(
    clients, doc, django_assert_num_queries
):
    client = clients["kasi"]
    url = doc.request.get_absolute_url()
    client.get(url)  # warm per-process caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(2, 9):  # more archived rows (sharing the file: only the list is measured)
        Document.objects.create(
            request=doc.request,
            kind=doc.kind,
            title=doc.title,
            number=f"{doc.number}-{n}",
            year=doc.year,
            sequence=n,
            code=f"TEST000{n}",
            issued_at=doc.issued_at,
            status=DocumentStatus.READY,
            file=doc.file.name,
            sha256=doc.sha256,
            size=doc.size,
            pages=doc.pages,
        )
    with django_assert_num_queries(len(few)):
        page = client.get(url)
    assert page.content.decode().count("Unduh PDF") == 8


def test_record_view_issues_a_rekam_jejak(clients, doc, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = clients["prakom"].post(reverse("reports:record", args=[doc.request_id]))
    assert response.status_code == 302
    assert response["Location"].endswith("#dokumen-resmi")
    record = Document.objects.get(kind="rekam_jejak")
    assert record.requested_by.username == "prakom"
    record.refresh_from_db()
    assert record.status == DocumentStatus.READY


def test_retry_view_renders_a_failed_document(clients, actors, committing, monkeypatch):
    monkeypatch.setattr("reports.rendering.html_to_pdf", lambda html, **limits: 1 / 0)
    req = committing(demo.walk, demo.create_draft(actors), actors, ("submit",))
    doc = Document.objects.get()
    assert doc.status == DocumentStatus.FAILED
    retry = reverse("reports:retry", args=[req.pk, doc.pk])
    page = clients["kasi"].get(req.get_absolute_url()).content.decode()
    assert "gagal dibuat" in page and "terjadi galat saat membuat dokumen" in page
    assert retry in page
    # The requesting unit sees the state but repairing is Diskominfo's job.
    page = clients["pemohon"].get(req.get_absolute_url()).content.decode()
    assert "gagal dibuat" in page and retry not in page
    assert committing(clients["pemohon"].post, retry).status_code == 403
    assert Document.objects.get().status == DocumentStatus.FAILED
    monkeypatch.undo()
    response = committing(clients["kasi"].post, retry)
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.READY and doc.failure == ""
    # Nothing to retry any more: a ready document is never rendered again.
    committing(clients["kasi"].post, retry)
    assert Document.objects.get().attempts == 2


def test_letterhead_logo_defaults_to_the_static_placeholder(anon, db):
    response = anon.get(reverse("reports:letterhead_logo"))
    assert response.status_code == 302
    assert response["Location"].endswith("img/lambang-daerah.svg")
