"""Each document is issued at its checkpoint, once, with the right content and number."""

import hashlib
import io
import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from reports import formatting, services
from reports.documents import CHECKPOINTS
from reports.models import Document, DocumentKind, DocumentStatus
from requests_intake.models import Attachment, AttachmentKind
from tests.reports.conftest import pdf_bytes, pdf_pages, pdf_text, squash
from workflow import demo
from workflow.models import TransitionLog
from workflow.states import State

YEAR = timezone.localdate().year

# Two presentation rounds, a return by the Kasi, then the three sign-offs and the roll-out.
LONG_PATH = (
    *demo.HAPPY_PATH[:7],  # submit … record_presentation (round 1)
    "request_another_round",
    "record_presentation",  # round 2
    "request_agreement",
    "unit_agree",
    "accept_review",
    "submit_report",
    "kasi_return",
    "submit_report",
    "kasi_accept",
    "kabid_accept",
    "kadis_accept",
    "finish_socialisation",
)


def docs_of(req, kind: str) -> list[Document]:
    return list(Document.objects.filter(request=req, kind=kind).order_by("pk"))


def test_a_long_sop_issues_every_checkpoint_document_with_its_content(actors, users, walk):
    """One walk (rendering ~17 documents) checked from every angle by the helpers below."""
    finished = walk(demo.create_draft(actors, app_name="Sistem Informasi Gizi Balita"), LONG_PATH)
    assert finished.state == State.COMPLETED
    _check_every_checkpoint_issues_its_documents_once_and_nothing_else(finished)
    _check_numbers_follow_the_pattern_with_a_yearly_counter_per_kind(finished)
    _check_every_page_has_number_page_x_of_y_and_verification_code(finished)
    _check_tanda_terima(finished, users)
    _check_lembar_disposisi_carries_all_levels_so_far_each_a_new_document(finished)
    _check_keputusan_perlu(finished)
    _check_rancangan_sistem_lists_design_documents_with_sha256(finished)
    _check_berita_acara_presentasi_one_per_round(finished)
    _check_catatan_reviu_one_per_round(finished)
    _check_laporan_shows_the_sign_off_block_as_it_stands(finished)
    _check_berita_acara_sosialisasi(finished)
    _check_titles_name_the_stage(finished)


def _check_every_checkpoint_issues_its_documents_once_and_nothing_else(finished):
    logs = list(TransitionLog.objects.filter(request=finished).order_by("pk"))
    assert [log.transition for log in logs] == list(LONG_PATH)
    for log in logs:
        issued = list(Document.objects.filter(log=log).values_list("kind", flat=True))
        assert issued == list(CHECKPOINTS.get(log.transition, ())), log.transition
    counts = {
        kind: Document.objects.filter(request=finished, kind=kind).count()
        for kind in DocumentKind.values
    }
    assert counts == {
        DocumentKind.RECEIPT: 1,
        DocumentKind.DISPOSITION: 3,  # receive, Kasi → Kabid, Kabid → Kadis
        DocumentKind.DECISION: 1,
        DocumentKind.DESIGN: 1,
        DocumentKind.PRESENTATION: 2,
        DocumentKind.REVIEW: 2,
        DocumentKind.REPORT: 6,  # 2 submissions, 1 return, 3 accepts
        DocumentKind.SOCIALISATION: 1,
        DocumentKind.RECORD: 0,  # only on request
    }
    for doc in Document.objects.filter(request=finished):
        content = pdf_bytes(doc)
        assert doc.status == DocumentStatus.READY and doc.error == ""
        assert content.startswith(b"%PDF-")
        assert hashlib.sha256(content).hexdigest() == doc.sha256
        assert doc.size == len(content) and doc.pages == len(pdf_pages(content))
        assert doc.issued_at == doc.log.created_at
        assert doc.issuer == "DINAS KOMUNIKASI DAN INFORMATIKA, PEMERINTAH KABUPATEN CONTOH"


def _check_numbers_follow_the_pattern_with_a_yearly_counter_per_kind(finished):
    codes = {
        DocumentKind.RECEIPT: "TT",
        DocumentKind.DISPOSITION: "DISP",
        DocumentKind.PRESENTATION: "BA-PRES",
        DocumentKind.REPORT: "LHP",
    }
    for kind, code in codes.items():
        numbers = [d.number for d in docs_of(finished, kind)]
        assert numbers == [
            f"000.8.3.3/{n}/{code}/DISKOMINFO/{YEAR}" for n in range(1, len(numbers) + 1)
        ]
    assert Document.objects.values("code").distinct().count() == Document.objects.count()


def _check_every_page_has_number_page_x_of_y_and_verification_code(finished):
    doc = docs_of(finished, DocumentKind.RECEIPT)[0]
    pages = pdf_pages(pdf_bytes(doc))
    assert len(pages) >= 2
    for index, text in enumerate(pages, start=1):
        assert f"Halaman {index} dari {len(pages)}" in text
        assert f"Nomor {doc.number}" in text
        assert doc.code_display in text


def _check_tanda_terima(finished, users):
    doc = docs_of(finished, DocumentKind.RECEIPT)[0]
    text = pdf_text(doc)
    for expected in (
        "TANDA TERIMA USULAN PEMBUATAN APLIKASI DATABASE",
        f"Nomor: {doc.number}",
        finished.registration_number,
        "Dinas Kesehatan",
        "027/123/2026",
        "Sistem Informasi Gizi Balita",
        "Siti Rahmawati",  # contact person
        "siti@example.go.id",
        formatting.hari_tanggal(finished.submitted_at),
        users["pemohon"].get_full_name(),
        "PEMERINTAH KABUPATEN CONTOH",
        "DINAS KOMUNIKASI DAN INFORMATIKA",
    ):
        assert expected in text, expected
    letter = Attachment.objects.get(request=finished, kind=AttachmentKind.REQUEST_LETTER)
    assert letter.sha256 in squash(text)


def _check_lembar_disposisi_carries_all_levels_so_far_each_a_new_document(finished):
    sheets = docs_of(finished, DocumentKind.DISPOSITION)
    received, to_kabid, to_kadis = (pdf_text(d) for d in sheets)
    for text in (received, to_kabid, to_kadis):
        assert "LEMBAR DISPOSISI" in text
        assert "Surat dari: Dinas Kesehatan" in text
        assert "Nomor agenda: AG-001" in text
        assert "Nomor surat: 027/123/2026" in text
        assert "Usulan lengkap." in text  # the Kasi's study notes
    assert "Belum ada disposisi lanjutan" in received and "Disposisi 1" not in received
    assert "Disposisi 1" in to_kabid and "Disposisi 2" not in to_kabid
    assert "Kepala Bidang Layanan e-Government" in to_kabid
    assert "Disposisi 1" in to_kadis and "Disposisi 2" in to_kadis
    assert "Kepala Dinas Komunikasi dan Informatika" in to_kadis


def _check_keputusan_perlu(finished):
    text = pdf_text(docs_of(finished, DocumentKind.DECISION)[0])
    assert "PERLU" in text and "TIDAK PERLU" not in text
    assert "Mendukung SPBE daerah." in text
    assert "Prakom" in text  # the assigned Pranata Komputer


def _check_rancangan_sistem_lists_design_documents_with_sha256(finished):
    doc = docs_of(finished, DocumentKind.DESIGN)[0]
    text = pdf_text(doc)
    assert "Struktur data, alur program dan antarmuka." in text
    design_files = Attachment.objects.filter(
        request=finished,
        kind__in=[
            AttachmentKind.DATA_STRUCTURE,
            AttachmentKind.PROGRAM_FLOW,
            AttachmentKind.INTERFACE_DESIGN,
        ],
    )
    assert design_files.count() == 3
    for attachment in design_files:
        assert attachment.sha256 in squash(text)


def _check_berita_acara_presentasi_one_per_round(finished):
    first, second = docs_of(finished, DocumentKind.PRESENTATION)
    held_on = timezone.localdate()
    for doc, n, words in ((first, 1, "satu"), (second, 2, "dua")):
        text = " ".join(pdf_text(doc).split())
        assert "BERITA ACARA PRESENTASI RANCANGAN SISTEM" in text
        assert formatting.pembuka_berita_acara(held_on) in text
        assert f"putaran ke-{n} ({words})" in text
        assert "2 (dua) orang" in text
        assert "Siti Rahmawati" in text and "Andi Pratama" in text
        assert "Ruang Rapat Diskominfo" in text


def _check_catatan_reviu_one_per_round(finished):
    first, second = (pdf_text(d) for d in docs_of(finished, DocumentKind.REVIEW))
    assert "Ubah alur verifikasi." in first and "Perlu presentasi ulang" in first
    assert "Putaran sebelumnya" not in first
    assert "Tambah ekspor Excel." in second and "Rancangan diterima" in second
    assert "Putaran sebelumnya" in second and "Ubah alur verifikasi." in second


def _check_laporan_shows_the_sign_off_block_as_it_stands(finished):
    texts = [" ".join(pdf_text(d).split()) for d in docs_of(finished, DocumentKind.REPORT)]
    submitted, returned, resubmitted, kasi_ok, kabid_ok, kadis_ok = texts
    assert "Penyerahan laporan : ke-1" in submitted and submitted.count("Belum diperiksa") == 3
    assert "Dikembalikan" in returned and "Lengkapi bab pengujian." in returned
    assert returned.count("Belum diperiksa") == 2
    assert "Penyerahan laporan : ke-2" in resubmitted and resubmitted.count("Belum diperiksa") == 3
    assert "Riwayat pengembalian laporan" in resubmitted
    assert kasi_ok.count("Diterima") == 1 and kasi_ok.count("Belum diperiksa") == 2
    assert kabid_ok.count("Diterima") == 2 and kabid_ok.count("Belum diperiksa") == 1
    assert kadis_ok.count("Diterima") == 3 and "Belum diperiksa" not in kadis_ok
    assert "Versi buku manual : 1.0" in kadis_ok


def _check_berita_acara_sosialisasi(finished):
    text = " ".join(pdf_text(docs_of(finished, DocumentKind.SOCIALISATION)[0]).split())
    assert "BERITA ACARA SOSIALISASI APLIKASI" in text
    assert formatting.pembuka_berita_acara(timezone.localdate()) in text
    assert "Aula Perangkat Daerah" in text and "2 (dua) orang" in text
    assert "Penggunaan." in text


def _check_titles_name_the_stage(finished):
    titles = [d.title for d in docs_of(finished, DocumentKind.REPORT)]
    assert titles[1] == "Laporan Hasil Pembuatan Aplikasi (penyerahan ke-1, dikembalikan Kasi)"
    assert titles[5] == "Laporan Hasil Pembuatan Aplikasi (penyerahan ke-2, diterima Kepala Dinas)"


def test_rejection_issues_a_tidak_perlu_decision_and_nothing_after(actors, walk):
    req = walk(demo.create_draft(actors), demo.path_to(State.REJECTED))
    kinds = list(Document.objects.filter(request=req).values_list("kind", flat=True))
    assert sorted(kinds) == sorted(
        [DocumentKind.RECEIPT, *[DocumentKind.DISPOSITION] * 3, DocumentKind.DECISION]
    )
    text = pdf_text(docs_of(req, DocumentKind.DECISION)[0])
    assert "TIDAK PERLU" in text
    assert "Sudah tersedia Aplikasi Umum yang sesuai." in text


def test_no_document_before_a_checkpoint(actors, walk):
    req = demo.create_draft(actors)
    assert not Document.objects.exists()  # a draft has none
    walk(req, ("submit",))
    assert list(Document.objects.values_list("kind", flat=True)) == [DocumentKind.RECEIPT]


def test_a_rolled_back_transition_issues_nothing(actors, committing):
    req = demo.create_draft(actors)

    def submit_then_fail():
        with transaction.atomic():
            demo.take(req, "submit", actors)
            raise RuntimeError("something later in the same transaction failed")

    with pytest.raises(RuntimeError):
        committing(submit_then_fail)
    assert not Document.objects.exists()
    assert not TransitionLog.objects.exists()


def test_a_failing_render_never_breaks_the_transition_and_can_be_retried(
    actors, committing, monkeypatch
):
    def broken(html, **limits):
        raise OSError("disk full")

    monkeypatch.setattr("reports.services.html_to_pdf", broken)
    req = committing(demo.walk, demo.create_draft(actors), actors, ("submit",))
    assert req.state == State.RECEIVE
    doc = Document.objects.get()
    assert doc.status == DocumentStatus.FAILED and "disk full" in doc.error
    assert doc.attempts == 1 and not doc.file
    number, code = doc.number, doc.code

    monkeypatch.undo()
    assert committing(services.document_retry, document=doc)
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.READY and doc.attempts == 2
    assert (doc.number, doc.code) == (number, code)  # the same document, rendered at last
    assert doc.number in pdf_text(doc)


def test_missing_documents_are_issued_by_the_repair_command(actors, committing, monkeypatch):
    def broken(*, log_id):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr("reports.services.documents_for_transition", broken)
    req = committing(demo.walk, demo.create_draft(actors), actors, ("submit", "receive"))
    assert req.state == State.KASI_FORWARD  # both transitions went through
    assert not Document.objects.exists()

    monkeypatch.undo()
    committing(call_command, "render_documents", "--missing", stdout=io.StringIO())
    kinds = list(Document.objects.order_by("pk").values_list("kind", "status"))
    assert kinds == [
        (DocumentKind.RECEIPT, DocumentStatus.READY),
        (DocumentKind.DISPOSITION, DocumentStatus.READY),
    ]
    # Running it again issues nothing new: a checkpoint has its documents once.
    committing(call_command, "render_documents", "--missing", stdout=io.StringIO())
    assert Document.objects.count() == 2


def test_a_late_render_prints_the_checkpoint_as_it_was(actors, walk):
    """Rendering after later steps happened (a slow queue) shows only what was due then."""
    req = walk(demo.create_draft(actors), ("submit", "receive"))
    first = Document.objects.get(kind=DocumentKind.DISPOSITION)
    html_before = re.sub(r"\s+", " ", _html(first))
    demo.walk(req, actors, ("forward_to_kabid",))  # no documents: not committed here
    assert re.sub(r"\s+", " ", _html(first)) == html_before


def _html(doc):
    from reports.render import document_html

    return document_html(doc)
