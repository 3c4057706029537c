"""Each document is issued at its checkpoint, once, with the right content and number."""

import hashlib
import io
import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from reports import services
from reports.documents import CHECKPOINTS
from reports.kinds import SPECS
from reports.models import Document, DocumentKind, DocumentStatus
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
    """One walk checked from every angle; each kind's content in tests/reports/test_kinds.py."""
    finished = walk(demo.create_draft(actors, app_name="Sistem Informasi Gizi Balita"), LONG_PATH)
    assert finished.state == State.COMPLETED
    _check_every_checkpoint_issues_its_documents_once_and_nothing_else(finished)
    _check_letters_are_numbered_on_one_counter_per_classification_code(finished)
    _check_every_page_has_page_x_of_y_and_verification_code(finished)
    _check_titles_name_the_stage(finished)
    _check_invitations_and_handover_read_their_records(finished)


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
        DocumentKind.NOTA_DINAS: 2,  # Kasi → Kabid, Kabid → Kepala Dinas
        DocumentKind.KADIS_DISPOSITION: 1,
        DocumentKind.LETTER: 1,
        DocumentKind.INVITATION: 3,  # each scheduled meeting: two presentations, socialisation
        DocumentKind.DESIGN: 1,
        DocumentKind.PRESENTATION: 2,
        DocumentKind.REVIEW: 2,
        DocumentKind.REPORT: 6,  # round 1: submitted, returned; round 2: submitted + 3 checks
        DocumentKind.SOCIALISATION: 1,
        DocumentKind.HANDOVER: 1,  # the handover recorded at step 12
        DocumentKind.RECORD: 0,  # only on request
        DocumentKind.DISPOSITION: 0,  # earlier format, no longer issued
        DocumentKind.DECISION: 0,
    }
    for doc in Document.objects.filter(request=finished):
        content = pdf_bytes(doc)
        assert doc.status == DocumentStatus.READY and doc.error == ""
        assert content.startswith(b"%PDF-")
        assert hashlib.sha256(content).hexdigest() == doc.sha256
        assert doc.size == len(content) and doc.pages == len(pdf_pages(content))
        if doc.kind == DocumentKind.INVITATION:  # issued when the meeting was scheduled
            assert doc.log is None and doc.requested_by == finished.assigned_prakom
        else:
            assert doc.issued_at == doc.log.created_at
        assert doc.issuer == "DINAS KOMUNIKASI DAN INFORMATIKA, PEMERINTAH KABUPATEN CONTOH"


def _check_letters_are_numbered_on_one_counter_per_classification_code(finished):
    docs = list(Document.objects.filter(request=finished).order_by("pk"))
    letters = [d for d in docs if SPECS[d.kind].letter]
    papers = [d for d in docs if not SPECS[d.kind].letter]
    assert {d.kind for d in papers} == {
        DocumentKind.RECEIPT,
        DocumentKind.KADIS_DISPOSITION,
        DocumentKind.DESIGN,
        DocumentKind.REVIEW,
    }
    assert all(d.number == "" and d.sequence == 0 for d in papers)
    # One new number per letter; a laporan's checks keep the round's number.
    first_versions = [d for d in letters if d.version == 1]
    assert [d.number for d in first_versions] == [
        f"500.12/{n}/DISKOMINFO/{YEAR}" for n in range(1, len(first_versions) + 1)
    ]
    reports = docs_of(finished, DocumentKind.REPORT)
    assert [(d.version, d.number == reports[0].number) for d in reports[:2]] == [
        (1, True),
        (2, True),
    ]
    assert {d.number for d in reports[2:]} == {reports[2].number} != {reports[0].number}
    assert [d.version for d in reports[2:]] == [1, 2, 3, 4]
    assert all(d.first_version_id == reports[2].pk for d in reports[3:])
    assert Document.objects.values("code").distinct().count() == Document.objects.count()


def _check_every_page_has_page_x_of_y_and_verification_code(finished):
    for doc in Document.objects.filter(request=finished, kind__in=["tanda_terima", "laporan"]):
        pages = pdf_pages(pdf_bytes(doc))
        assert len(pages) >= 2
        for index, text in enumerate(pages, start=1):
            assert f"Halaman {index} dari {len(pages)}" in text
            assert doc.code_display in text
            assert (f"Nomor {doc.number}" if doc.number else finished.registration_number) in text


def _check_invitations_and_handover_read_their_records(finished):
    invitations = docs_of(finished, DocumentKind.INVITATION)
    texts = [squash(pdf_text(doc)) for doc in invitations]
    assert all(squash("Ruang Rapat Diskominfo") in t and "09.00WIB" in t for t in texts)
    assert squash("Dalam rangka presentasi rancangan sistem aplikasi") in texts[0]
    assert squash("Dalam rangka sosialisasi aplikasi") in texts[2]
    (handover,) = docs_of(finished, DocumentKind.HANDOVER)
    text = squash(pdf_text(handover))
    assert "PIHAKPERTAMA" in text and "PIHAKKEDUA" in text
    assert squash(finished.handover.receiver.signature_name()) in text
    assert squash("Akun administrator (diserahkan terpisah)") in text


def _check_titles_name_the_stage(finished):
    titles = [d.title for d in docs_of(finished, DocumentKind.REPORT)]
    assert titles[1] == "Laporan Hasil Pembuatan Aplikasi (penyerahan ke-1, dikembalikan Kasi)"
    assert titles[5] == (
        "Laporan Hasil Pembuatan Aplikasi (penyerahan ke-2, disetujui Kepala Dinas)"
    )


def test_rejection_issues_a_disposition_and_a_tidak_perlu_letter_and_nothing_after(actors, walk):
    req = walk(demo.create_draft(actors), demo.path_to(State.REJECTED))
    kinds = list(Document.objects.filter(request=req).values_list("kind", flat=True))
    assert sorted(kinds) == sorted(
        [
            DocumentKind.RECEIPT,
            *[DocumentKind.NOTA_DINAS] * 2,
            DocumentKind.KADIS_DISPOSITION,
            DocumentKind.LETTER,
        ]
    )
    text = " ".join(pdf_text(docs_of(req, DocumentKind.LETTER)[0]).split())
    assert "belum dapat ditindaklanjuti" in text
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

    monkeypatch.setattr("reports.rendering.html_to_pdf", broken)
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
    def broken(**kwargs):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr("reports.services.number_documents", broken)
    path = ("submit", "receive", "forward_to_kabid")
    req = committing(demo.walk, demo.create_draft(actors), actors, path)
    assert req.state == State.KABID_FORWARD  # every transition went through
    assert not Document.objects.exists()

    monkeypatch.undo()
    committing(call_command, "render_documents", "--missing", stdout=io.StringIO())
    kinds = list(Document.objects.order_by("pk").values_list("kind", "status"))
    assert kinds == [
        (DocumentKind.RECEIPT, DocumentStatus.READY),
        (DocumentKind.NOTA_DINAS, DocumentStatus.READY),
    ]
    # Running it again issues nothing new: a checkpoint has its documents once.
    committing(call_command, "render_documents", "--missing", stdout=io.StringIO())
    assert Document.objects.count() == 2


def test_a_late_render_prints_the_checkpoint_as_it_was(actors, walk):
    """Rendering after later steps happened (a slow queue) shows only what was due then."""
    req = walk(demo.create_draft(actors), ("submit", "receive", "forward_to_kabid"))
    first = Document.objects.get(kind=DocumentKind.NOTA_DINAS)
    html_before = re.sub(r"\s+", " ", _html(first))
    demo.walk(req, actors, ("forward_to_kadis",))  # no documents: not committed here
    assert re.sub(r"\s+", " ", _html(first)) == html_before


def _html(doc):
    from reports.render import document_html

    return document_html(doc)


def test_a_checkpoint_answered_in_an_earlier_format_is_not_issued_again(
    actors, committing, monkeypatch
):
    """After an upgrade, a forward that got a lembar disposisi gets no nota dinas too."""

    def broken(**kwargs):
        raise RuntimeError("down")

    monkeypatch.setattr("reports.services.number_documents", broken)
    path = ("submit", "receive", "forward_to_kabid")
    req = committing(demo.walk, demo.create_draft(actors), actors, path)
    monkeypatch.undo()
    forward = req.log.get(transition="forward_to_kabid")
    Document.objects.create(
        request=req,
        kind=DocumentKind.DISPOSITION,
        title="Lembar Disposisi (Kasi kepada Kabid)",
        number="000.8.3.3/1/DISP/DISKOMINFO/2026",
        year=2026,
        sequence=1,
        code="LEGACY23",
        log=forward,
        issued_at=forward.created_at,
    )
    submit = req.log.get(transition="submit")
    assert services.checkpoints_without_documents() == [submit.pk]
    assert services.documents_for_transition(log_id=forward.pk) == []
    assert not Document.objects.filter(kind=DocumentKind.NOTA_DINAS).exists()
