"""Letters numbered from the agency's register (SRIKANDI): issued when the number is typed in."""

import pytest
from django.urls import reverse

from reports.models import Document, DocumentKind, DocumentStatus, Letterhead, NumberSource
from tests.reports.conftest import pdf_text
from workflow import demo
from workflow.states import State


@pytest.fixture
def register_numbers(db):
    letterhead = Letterhead.load()
    for kind in (DocumentKind.LETTER, DocumentKind.REPORT):
        setting = letterhead.numbering_for(kind)
        setting.source = NumberSource.REGISTER
        setting.save()


def number_url(doc) -> str:
    return reverse("reports:enter_number", args=[doc.request_id, doc.pk])


def test_a_register_numbered_letter_waits_then_is_issued_with_the_number(
    register_numbers, actors, walk, clients, committing
):
    req = walk(demo.create_draft(actors), demo.path_to(State.DESIGN))
    letter = Document.objects.get(request=req, kind=DocumentKind.LETTER)
    assert letter.status == DocumentStatus.AWAITING_NUMBER and letter.number == ""
    assert not letter.file
    # Working papers and counter-numbered kinds are not held back.
    nota = Document.objects.filter(request=req, kind=DocumentKind.NOTA_DINAS).first()
    assert nota.status == DocumentStatus.READY and nota.number.startswith("500.12/1/")

    page = clients["kasi"].get(req.get_absolute_url()).content.decode()
    assert "menunggu nomor" in page and number_url(letter) in page
    assert number_url(letter) not in clients["pemohon"].get(req.get_absolute_url()).content.decode()

    response = committing(
        clients["kasi"].post, number_url(letter), {"number": " 500.12/1234/DISKOMINFO/2026 "}
    )
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == DocumentStatus.READY
    assert letter.number == "500.12/1234/DISKOMINFO/2026" and letter.sequence == 0
    assert letter.number_entered_by == actors["kasi"]
    assert "Nomor : 500.12/1234/DISKOMINFO/2026" in " ".join(pdf_text(letter).split())

    # Entered once: a second try changes nothing.
    response = committing(clients["kasi"].post, number_url(letter), {"number": "500.12/9/X/2026"})
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.number == "500.12/1234/DISKOMINFO/2026"


def test_a_number_already_used_or_empty_is_refused(register_numbers, actors, walk, clients):
    req = walk(demo.create_draft(actors), demo.path_to(State.DESIGN))
    letter = Document.objects.get(request=req, kind=DocumentKind.LETTER)
    nota = Document.objects.filter(request=req, kind=DocumentKind.NOTA_DINAS).first()
    for bad in ("", "   ", nota.number):
        response = clients["kasi"].post(number_url(letter), {"number": bad}, follow=True)
        assert response.status_code == 200
        assert "alert-danger" in response.content.decode() or "sudah dipakai" in (
            response.content.decode()
        )
        letter.refresh_from_db()
        assert letter.status == DocumentStatus.AWAITING_NUMBER and letter.number == ""


def test_only_staff_may_enter_a_number(register_numbers, actors, walk, clients, anon):
    req = walk(demo.create_draft(actors), demo.path_to(State.DESIGN))
    letter = Document.objects.get(request=req, kind=DocumentKind.LETTER)
    assert clients["pemohon"].post(number_url(letter), {"number": "1/2"}).status_code == 403
    assert clients["pemohon2"].post(number_url(letter), {"number": "1/2"}).status_code == 404
    assert clients["kasi"].get(number_url(letter)).status_code == 405
    response = anon.post(number_url(letter), {"number": "1/2"})
    assert response.status_code == 302 and "/masuk/" in response["Location"]
    letter.refresh_from_db()
    assert letter.status == DocumentStatus.AWAITING_NUMBER


def test_every_waiting_version_of_a_laporan_takes_the_number(
    register_numbers, actors, walk, clients, committing
):
    path = demo.path_to(State.KABID_CHECK)  # submitted, then accepted by the Kasi
    req = walk(demo.create_draft(actors), path)
    first, second = Document.objects.filter(request=req, kind=DocumentKind.REPORT).order_by("pk")
    assert (first.version, second.version) == (1, 2) and second.first_version_id == first.pk
    assert {first.status, second.status} == {DocumentStatus.AWAITING_NUMBER}
    committing(clients["kasi"].post, number_url(second), {"number": "500.12/77/DISKOMINFO/2026"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.number == second.number == "500.12/77/DISKOMINFO/2026"
    assert first.status == second.status == DocumentStatus.READY
    # The next check keeps the number and is issued at once.
    req = walk(req, ("kabid_accept",))
    third = Document.objects.filter(request=req, kind=DocumentKind.REPORT).order_by("pk").last()
    assert third.version == 3 and third.number == first.number
    assert third.status == DocumentStatus.READY


def test_staff_see_who_would_sign_without_nip_or_rank(actors, walk, clients):
    req = walk(demo.create_draft(actors), ("submit",))
    warning = "Data penanda tangan belum lengkap"
    page = clients["kasi"].get(req.get_absolute_url()).content.decode()
    assert warning in page and "Kabid — NIP, pangkat/golongan" in page
    assert warning not in clients["pemohon"].get(req.get_absolute_url()).content.decode()
    demo.give_staff_records(actors)
    page = clients["kasi"].get(req.get_absolute_url()).content.decode()
    assert warning not in page
