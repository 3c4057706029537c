"""The proposal form asks who signed the letter (name, NIP, position) and for the KAK/TOR."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from requests_intake import services
from requests_intake.models import ApplicationRequest, AttachmentKind
from requests_intake.nip import format_nip, normalise_nip
from workflow import demo
from workflow.errors import ActionIncomplete
from workflow.transitions import TRANSITIONS


def form_data(**overrides) -> dict:
    data = {}
    for name, value in demo.proposal_data(**overrides).items():
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = str(value)
    return data


def pdf(name="surat.pdf"):
    return SimpleUploadedFile(name, demo.sample_pdf(), content_type="application/pdf")


def create(client, **overrides):
    return client.post(reverse("requests_intake:create"), {**form_data(), **overrides})


class TestNip:
    @pytest.mark.parametrize(
        "typed", ["197805122005011004", "19780512 200501 1 004", " 19780512.200501.1.004 "]
    )
    def test_typed_with_or_without_spaces(self, typed):
        assert normalise_nip(typed) == "197805122005011004"
        assert format_nip("197805122005011004") == "19780512 200501 1 004"

    @pytest.mark.parametrize(
        ("typed", "says"),
        [
            ("1978051220050110", "18 angka"),
            ("19780512200501100A", "18 angka"),
            ("١٩٧٨٠٥١٢٢٠٠٥٠١١٠٠٤", "18 angka"),  # other scripts' digits
            ("197813122005011004", "tanggal lahir"),
            ("197805122005131004", "pengangkatan"),
            ("197805121980011004", "pengangkatan"),  # appointed before the age of 15
            ("197805122005013004", "jenis kelamin"),
        ],
    )
    def test_a_wrong_nip_is_explained(self, typed, says):
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError) as caught:
            normalise_nip(typed)
        assert says in caught.value.messages[0]


class TestProposalForm:
    def test_the_signer_and_kak_are_stored_and_shown(self, clients, users):
        response = create(
            clients["pemohon"],
            signer_nip="19780512 200501 1 004",
            letter_file=pdf(),
            kak_file=SimpleUploadedFile("KAK.docx", demo.sample_docx("KAK")),
        )
        req = ApplicationRequest.objects.get()
        assert response.status_code == 302
        assert req.signer_nip == "197805122005011004"
        assert req.signer_position == "Kepala Dinas Kesehatan"
        assert req.attachments.filter(kind=AttachmentKind.KAK_TOR).count() == 1
        page = clients["pemohon"].get(req.get_absolute_url()).content.decode()
        assert "19780512 200501 1 004" in page and "dr. Hendra Kusuma" in page

    @pytest.mark.parametrize("field", ["signer_name", "signer_nip", "signer_position"])
    def test_the_signer_is_required_with_a_clear_message(self, clients, field):
        response = create(clients["pemohon"], **{field: ""})
        assert response.status_code == 200
        message = response.context["form"].errors[field][0]
        assert "penanda tangan" in message or "menandatangani" in message
        assert not ApplicationRequest.objects.exists()

    def test_a_bad_nip_rerenders_the_form(self, clients):
        response = create(clients["pemohon"], signer_nip="12345")
        assert response.status_code == 200
        assert "18 angka" in response.context["form"].errors["signer_nip"][0]

    def test_the_kak_must_be_a_document(self, clients):
        png = SimpleUploadedFile("kak.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
        response = create(clients["pemohon"], kak_file=png)
        assert response.status_code == 200
        assert "kak_file" in response.context["form"].errors
        assert not ApplicationRequest.objects.exists()

    def test_a_proposal_without_kak_cannot_be_submitted(self, actors):
        req = services.request_create(
            actor=actors["pemohon"],
            data=demo.proposal_data(),
            letter_file=pdf(),
        )
        with pytest.raises(ActionIncomplete) as caught:
            TRANSITIONS["submit"].service(
                actor=actors["pemohon"], proposal_id=req.pk, revision=req.revision
            )
        assert "KAK/TOR" in caught.value.message
        req.refresh_from_db()
        assert req.state == "draft"

    def test_the_edit_form_says_the_kak_is_attached(self, clients, actors):
        req = demo.create_draft(actors)
        response = clients["pemohon"].get(reverse("requests_intake:edit", args=[req.pk]))
        assert "KAK/TOR sudah terlampir" in response.content.decode()
