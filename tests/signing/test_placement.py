"""Each signer's visible box stands in the signing space of their printed block, and the
documents signed electronically say so in their footer."""

import io

import pytest
from pypdf import PdfReader

from reports.models import Document, DocumentKind
from signing.models import SignatureRequest
from signing.placement import FALLBACK_BOTTOM, find_block
from signing.templatetags.signing_tags import certificate_issuer
from signing.validation import validate_pdf
from tests.reports.conftest import pdf_bytes, pdf_pages, squash
from tests.signing.conftest import PASSPHRASES
from tests.signing.test_signing_flow import read, sign_page
from workflow import demo

NOTICE = (
    "Dokumen ini telah ditandatangani secara elektronik menggunakan sertifikat elektronik "
    "yang diterbitkan oleh"
)


def text_lines(pdf: bytes, page: int) -> list[tuple[float, float, str]]:
    """(x, baseline y, text) of every piece of text on ``page``, in PDF points."""
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((x, y, text.strip()))

    PdfReader(io.BytesIO(pdf)).pages[page].extract_text(visitor_text=visit)
    return found


def signature_boxes(pdf: bytes) -> dict[str, tuple[int, tuple[float, ...]]]:
    """Field name → (page index, /Rect) of every signature widget."""
    boxes = {}
    for index, page in enumerate(PdfReader(io.BytesIO(pdf)).pages):
        for annotation in page.get("/Annots") or []:
            widget = annotation.get_object()
            if widget.get("/FT") == "/Sig" or "/T" in widget:
                boxes[str(widget["/T"])] = (index, tuple(float(v) for v in widget["/Rect"]))
    return boxes


def assert_in_block(pdf: bytes, field: str, name: str, position_word: str) -> None:
    """The box of ``field`` fills the space between its jabatan and the printed ``name``."""
    page, (x1, y1, x2, y2) = signature_boxes(pdf)[field]
    lines = text_lines(pdf, page)
    ((name_x, name_y),) = [(x, y) for x, y, text in lines if text == name]
    # Directly above the printed name, over its column …
    assert 0 < y1 - name_y < 25, (field, y1, name_y)
    assert x1 <= name_x <= x2, (field, x1, name_x, x2)
    # … below the jabatan of the same block …
    jabatan = [
        y
        for x, y, text in lines
        if position_word in text.upper() and x1 - 40 <= x <= x2 and y2 <= y < y2 + 30
    ]
    assert jabatan, (field, position_word, lines)
    # … and over no printed text: the empty space where a wet signature would go.
    inside = [t for x, y, t in lines if x1 <= x <= x2 and y1 < y < y2]
    assert not inside, (field, inside)


@pytest.fixture
def approved_report(actors, walk, certificates):
    to_kadis_accept = demo.HAPPY_PATH[: demo.HAPPY_PATH.index("kadis_accept") + 1]
    req = walk(demo.create_draft(actors), to_kadis_accept)
    return Document.objects.get(
        request=req, kind=DocumentKind.REPORT, log__transition="kadis_accept"
    )


class TestTheBoxStandsOnThePrintedBlock:
    def test_the_kadis_box_on_the_step_4_letter(self, decided, clients):
        doc = Document.objects.get(request=decided, kind=DocumentKind.LETTER)
        signature = SignatureRequest.objects.get(document=doc)
        assert sign_page(clients["kadis"], signature, PASSPHRASES["kadis"]).status_code == 302
        signature.refresh_from_db()
        signed = read(signature.file)
        assert_in_block(signed, signature.field_name, "Kadis Santoso", "KEPALA DINAS")
        # Not the old place just above the footer.
        _page, (_x1, y1, _x2, _y2) = signature_boxes(signed)[signature.field_name]
        assert y1 > FALLBACK_BOTTOM + 60
        (report,) = validate_pdf(signed)
        assert report.ok

    def test_four_signers_each_on_their_block_of_the_lembar_pengesahan(
        self, approved_report, clients
    ):
        signatures = list(
            SignatureRequest.objects.filter(document=approved_report).order_by("order")
        )
        for signature in signatures:
            role = signature.role
            assert sign_page(clients[role], signature, PASSPHRASES[role]).status_code == 302
        final = read(SignatureRequest.objects.get(pk=signatures[-1].pk).file)
        pages = pdf_pages(final)
        sign_off = next(i for i, text in enumerate(pages) if "LEMBAR PENGESAHAN" in text)
        boxes = signature_boxes(final)
        assert len(boxes) == 4
        assert {page for page, _rect in boxes.values()} == {sign_off}
        words = {"prakom": "PRANATA", "kasi": "SEKSI", "kabid": "BIDANG", "kadis": "DINAS"}
        for signature in signatures:
            name = f"{signature.role.capitalize()} Santoso"
            assert_in_block(final, signature.field_name, name, words[signature.role])
        # Prakom and Kabid on the left, Kasi and Kepala Dinas on the right.
        left = {s.role for s in signatures if boxes[s.field_name][1][0] < 297}
        assert left == {"prakom", "kabid"}
        # Four successive incremental signatures, every one still valid after the fourth.
        reports = validate_pdf(final)
        assert len(reports) == 4 and all(r.ok for r in reports), reports

    def test_a_document_without_anchored_blocks_is_not_located(self, decided):
        receipt = Document.objects.get(request=decided, kind=DocumentKind.RECEIPT)
        # The tanda terima is a working paper: its blocks carry no anchor.
        assert find_block(pdf_bytes(receipt), 1) is None


class TestTheFooter:
    def test_a_signed_kind_says_who_issued_the_certificates(self, decided):
        letter = Document.objects.get(request=decided, kind=DocumentKind.LETTER)
        text = squash("".join(pdf_pages(pdf_bytes(letter))))
        assert squash(f"{NOTICE} CA Diskominfo Uji") in text

    def test_a_working_paper_does_not(self, decided):
        receipt = Document.objects.get(request=decided, kind=DocumentKind.RECEIPT)
        text = squash("".join(pdf_pages(pdf_bytes(receipt))))
        assert "Kodeverifikasi" in text  # the footer is there …
        assert squash(NOTICE) not in text  # … without the sentence

    def test_with_bsre_the_issuer_is_bsre(self, settings, office_ca):
        settings.SOPAPP_SIGNER = "bsre"
        assert certificate_issuer() == "BSrE"
        settings.SOPAPP_SIGNER = "local"
        assert certificate_issuer().startswith("CA Diskominfo Uji")
