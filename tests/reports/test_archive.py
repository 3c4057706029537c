"""The archive is immutable; a rekam jejak is a new document each time it is asked for."""

import hashlib

import pytest
from django.core.files.base import ContentFile

from reports import rendering, services
from reports.documents.base import Signers
from reports.models import Document, DocumentKind, DocumentStatus, Letterhead
from reports.timing import step_actor_label
from tests.reports.conftest import pdf_bytes, pdf_text
from workflow import demo
from workflow.states import STEPS, Role


def test_a_second_render_request_changes_nothing(submitted, committing):
    doc = Document.objects.get()
    content, digest, name = pdf_bytes(doc), doc.sha256, doc.file.name
    rendered_at, attempts = doc.rendered_at, doc.attempts

    Letterhead.objects.filter(pk=1).update(region_name="PEMERINTAH KOTA LAIN")  # data moves on
    again = committing(rendering.document_render, document_id=doc.pk)
    assert not committing(services.document_retry, document=doc)

    again.refresh_from_db()
    assert (again.sha256, again.file.name, again.rendered_at, again.attempts) == (
        digest,
        name,
        rendered_at,
        attempts,
    )
    assert pdf_bytes(again) == content
    assert hashlib.sha256(pdf_bytes(again)).hexdigest() == digest
    assert "PEMERINTAH KOTA LAIN" not in pdf_text(again)


def test_an_archived_document_refuses_to_be_saved_or_deleted(submitted):
    doc = Document.objects.get()
    doc.number = "999/PALSU/2026"
    with pytest.raises(ValueError, match="never changes"):
        doc.save()
    with pytest.raises(ValueError, match="never deleted"):
        doc.delete()
    assert Document.objects.get().number != "999/PALSU/2026"


def test_a_second_worker_leaves_a_document_being_rendered_alone(actors, monkeypatch, settings):
    """Two workers get the same pending document (a duplicate task): the one that comes
    second finds the render leased and renders nothing; the first archives it once."""
    req = demo.walk(demo.create_draft(actors), actors, ("submit",))  # not committed: not queued
    doc = Document.objects.get(log=req.log.get())
    real = rendering.html_to_pdf
    renders, second = [], {}

    def counting(html, **limits):
        renders.append(doc.pk)
        if not second:  # meanwhile another worker is handed the same document
            second["doc"] = rendering.document_render(document_id=doc.pk)
        return real(html, **limits)

    monkeypatch.setattr(rendering, "html_to_pdf", counting)
    first = rendering.document_render(document_id=doc.pk)
    assert renders == [doc.pk]
    assert second["doc"].status == DocumentStatus.PENDING  # left alone, not rendered
    assert first.status == DocumentStatus.READY and first.attempts == 1
    files = list((settings.MEDIA_ROOT / "documents").rglob("*.pdf"))
    assert [f.name for f in files] == [first.file.name.rsplit("/", 1)[1]]


def test_rekam_jejak_on_request_is_a_new_document_each_time(actors, walk, committing):
    req = walk(demo.create_draft(actors), ("submit", "receive"))
    first = committing(services.record_request, actor=actors["kasi"], req=req)
    second = committing(services.record_request, actor=actors["kasi"], req=req)
    assert first.pk != second.pk
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == DocumentStatus.READY
    assert first.number == second.number == ""  # a working paper, no letter number
    assert first.code != second.code
    assert first.requested_by == actors["kasi"]
    assert first.log == req.log.order_by("-pk").first()
    text = " ".join(pdf_text(second).split())
    for expected in (
        "REKAM JEJAK USULAN PEMBUATAN APLIKASI",
        req.registration_number,
        "Menunggu diteruskan Kasi ke Kabid",  # the state when asked
        "Draf (belum diajukan)",  # the first transition's from-state
        "Mutu baku",
        "1 hari kerja",  # step 2's standard (workflow.sla)
        "berjalan",  # step 3 is running
        "Tanda Terima Usulan Pembuatan Aplikasi",  # documents issued so far
    ):
        assert expected in text, expected
    tanda_terima = Document.objects.get(kind=DocumentKind.RECEIPT)
    assert tanda_terima.sha256 in "".join(text.split())


def test_a_pending_rekam_jejak_is_not_issued_twice(actors, walk):
    req = walk(demo.create_draft(actors), ("submit",))
    # Outside an executed commit the render never runs: the first stays pending.
    first = services.record_request(actor=actors["kasi"], req=req)
    second = services.record_request(actor=actors["kasi"], req=req)
    assert first.pk == second.pk and first.status == DocumentStatus.PENDING
    other = services.record_request(actor=actors["kabid"], req=req)
    assert other.pk != first.pk


def test_a_rekam_jejak_of_a_draft(actors, committing):
    req = demo.create_draft(actors)
    doc = committing(services.record_request, actor=actors["pemohon"], req=req)
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.READY and doc.log is None
    assert "Belum ada transisi" in pdf_text(doc)


def test_storage_never_overwrites(submitted):
    doc = Document.objects.get()
    storage = Document._meta.get_field("file").storage
    name = storage.save(doc.file.name, ContentFile(b"%PDF-1.4 other"))
    assert name != doc.file.name
    assert pdf_bytes(doc).startswith(b"%PDF-") and b"other" not in pdf_bytes(doc)


def test_the_rekam_jejak_names_both_forwarders_of_step_3(actors, walk, committing):
    req = walk(demo.create_draft(actors), ("submit", "receive", "forward_to_kabid"))
    doc = committing(services.record_request, actor=actors["kasi"], req=req)
    doc.refresh_from_db()
    text = " ".join(pdf_text(doc).split())
    signers = Signers()
    kasi, kabid, kadis = (signers.short(r) for r in (Role.KASI, Role.KABID, Role.KADIS))
    assert step_actor_label(STEPS[2], signers.short) == f"{kasi} → {kabid}, {kabid} → {kadis}"
    assert f"{kasi} → {kabid}, {kabid} → {kadis}" in text
    assert step_actor_label(STEPS[1], signers.short) == kasi  # one actor: named alone


def test_the_rekam_jejak_prints_why_a_step_finished_late(actors, walk, committing):
    import datetime

    from django.utils import timezone

    from requests_intake.models import ApplicationRequest
    from workflow.models import TransitionLog

    req = walk(demo.create_draft(actors), ("submit",))
    late = timezone.localdate() - datetime.timedelta(days=10)
    ApplicationRequest.objects.filter(pk=req.pk).update(due_date=late)
    req = walk(ApplicationRequest.objects.get(pk=req.pk), ("receive",))
    log = TransitionLog.objects.get(request=req, transition="receive")
    assert log.late_reason == "Menunggu kelengkapan dokumen dari pihak terkait."
    doc = committing(services.record_request, actor=actors["kasi"], req=req)
    text = " ".join(pdf_text(Document.objects.get(pk=doc.pk)).split())
    assert "Alasan keterlambatan: Menunggu kelengkapan dokumen dari pihak terkait." in text
