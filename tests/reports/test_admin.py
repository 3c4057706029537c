"""The administrator configures the kop surat and the number patterns."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from reports.kinds import LETTER_KINDS
from reports.models import Document, Letterhead, NumberPattern
from tests.reports.conftest import pdf_bytes, pdf_text
from workflow import demo


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 48), (20, 110, 60)).save(out, "PNG")
    return out.getvalue()


def letterhead_form(**overrides) -> dict:
    letterhead = Letterhead.load()
    data = {
        "region_name": letterhead.region_name,
        "agency_name": letterhead.agency_name,
        "address": letterhead.address,
        "city": letterhead.city,
        "phone": letterhead.phone,
        "email": letterhead.email,
        "website": letterhead.website,
        "paper_size": letterhead.paper_size,
        "font_family": letterhead.font_family,
        "font_size": str(letterhead.font_size),
        "margin_top": letterhead.margin_top,
        "margin_right": letterhead.margin_right,
        "margin_bottom": letterhead.margin_bottom,
        "margin_left": letterhead.margin_left,
    }
    patterns = list(letterhead.number_patterns.order_by("pk"))
    data.update(
        {
            "number_patterns-TOTAL_FORMS": len(patterns),
            "number_patterns-INITIAL_FORMS": len(patterns),
            "number_patterns-MIN_NUM_FORMS": 0,
            "number_patterns-MAX_NUM_FORMS": 1000,
        }
    )
    for i, row in enumerate(patterns):
        data[f"number_patterns-{i}-id"] = row.pk
        data[f"number_patterns-{i}-letterhead"] = letterhead.pk
        data[f"number_patterns-{i}-kind"] = row.kind
        data[f"number_patterns-{i}-pattern"] = row.pattern
        data[f"number_patterns-{i}-classification_code"] = row.classification_code
        data[f"number_patterns-{i}-source"] = row.source
        if row.academic_titles:
            data[f"number_patterns-{i}-academic_titles"] = "on"
    data.update(overrides)
    return data


def test_defaults_are_ready_out_of_the_box(db):
    letterhead = Letterhead.load()
    assert letterhead.region_name == "PEMERINTAH KABUPATEN CONTOH"
    assert NumberPattern.objects.count() == 13  # 9 of the first version, 4 new letter kinds
    letters = NumberPattern.objects.filter(kind__in=LETTER_KINDS)
    assert letters.count() == len(LETTER_KINDS) == 7
    for row in letters:
        assert (row.classification_code, row.pattern, row.source) == (
            "500.12",
            "{code}/{seq}/DISKOMINFO/{year}",
            "counter",
        )


def test_the_letterhead_list_goes_to_the_single_form(clients):
    response = clients["admin"].get(reverse("admin:reports_letterhead_changelist"))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:reports_letterhead_change", args=[1])
    assert clients["admin"].get(response["Location"]).status_code == 200
    assert clients["pemohon"].get(response["Location"]).status_code == 302  # not staff


def test_admin_edits_letterhead_logo_layout_and_numbering_used_by_the_next_document(
    clients, actors, walk, settings
):
    url = reverse("admin:reports_letterhead_change", args=[1])
    index = next(
        i for i, row in enumerate(NumberPattern.objects.order_by("pk")) if row.kind == "nota_dinas"
    )
    data = letterhead_form(
        region_name="PEMERINTAH KABUPATEN SUKAMAJU",
        city="Sukamaju",
        paper_size="F4",
        font_family="times",
        logo=SimpleUploadedFile("lambang.png", png_bytes(), "image/png"),
        **{
            f"number_patterns-{index}-pattern": "{code}/{seq:03d}/TU/{month}/{year}",
            f"number_patterns-{index}-classification_code": "400.14",
        },
    )
    response = clients["admin"].post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    letterhead = Letterhead.load()
    assert letterhead.logo.name.startswith("letterhead/")

    walk(demo.create_draft(actors), ("submit", "receive", "forward_to_kabid"))
    doc = Document.objects.get(kind="nota_dinas")
    assert doc.number.startswith("400.14/001/TU/") and doc.number.endswith(str(doc.year))
    page = PdfReader(io.BytesIO(pdf_bytes(doc))).pages[0]
    # F4/folio: 215 × 330 mm.
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (609, 935)
    text = pdf_text(doc)
    receipt = pdf_text(Document.objects.get(kind="tanda_terima"))
    assert "PEMERINTAH KABUPATEN SUKAMAJU" in text and "Sukamaju, " in receipt
    assert doc.issuer == "DINAS KOMUNIKASI DAN INFORMATIKA, PEMERINTAH KABUPATEN SUKAMAJU"
    logo = clients["pemohon"].get(reverse("reports:letterhead_logo"))
    assert logo.status_code == 200 and logo["Content-Type"] == "image/png"


@pytest.mark.parametrize(
    "pattern",
    [
        "000.8.3.3/DISKOMINFO/{year}",  # no counter
        "{seq}/{tahun}",  # unknown field
        "000.8.3.3/{seq}/DISP/DISKOMINFO/{year}",  # another kind's pattern: numbers would clash
    ],
)
def test_admin_refuses_a_bad_or_duplicate_pattern(clients, pattern):
    index = next(
        i
        for i, row in enumerate(NumberPattern.objects.order_by("pk"))
        if row.kind == "tanda_terima"
    )
    data = letterhead_form(**{f"number_patterns-{index}-pattern": pattern})
    response = clients["admin"].post(reverse("admin:reports_letterhead_change", args=[1]), data)
    assert response.status_code == 200  # the form again, with the error
    assert NumberPattern.objects.get(kind="tanda_terima").pattern.startswith("000.8.3.3/{seq}/TT")


def test_admin_refuses_a_logo_that_is_not_an_image(clients):
    data = letterhead_form(logo=SimpleUploadedFile("lambang.png", b"<svg onload=x>", "image/png"))
    response = clients["admin"].post(reverse("admin:reports_letterhead_change", args=[1]), data)
    assert response.status_code == 200
    assert not Letterhead.load().logo


def test_document_archive_list_is_read_only_with_constant_queries(
    clients, actors, walk, django_assert_num_queries
):
    client = clients["admin"]
    url = reverse("admin:reports_document_changelist")
    walk(demo.create_draft(actors), ("submit",))
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    walk(demo.create_draft(actors), ("submit", "receive", "forward_to_kabid"))
    assert Document.objects.count() == 3
    with django_assert_num_queries(len(few)):
        page = client.get(url)
    assert page.content.decode().count("/DISKOMINFO/") >= 1
    doc = Document.objects.first()
    change = client.get(reverse("admin:reports_document_change", args=[doc.pk]))
    assert change.status_code == 200 and 'name="number"' not in change.content.decode()
    assert client.get(reverse("admin:reports_document_add")).status_code == 403
    delete = reverse("admin:reports_document_delete", args=[doc.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
