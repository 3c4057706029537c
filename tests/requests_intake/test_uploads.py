"""Uploads: the content check, download names, and the upload page of a running proposal."""

import hashlib
import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from requests_intake.models import Attachment, AttachmentKind
from requests_intake.uploads import PDF_ONLY, check_upload, safe_filename
from tests.conftest import make_user
from workflow import demo
from workflow.states import Role, State

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def ooxml(main_part: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        archive.writestr(main_part, "<x/>")
    return out.getvalue()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.exe", b"MZ\x90\x00")
    return out.getvalue()


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


def jpeg() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def pdf_of_size(size: int) -> bytes:
    """A valid PDF of exactly ``size`` bytes (its page text is padded)."""
    padding = size - len(demo.sample_pdf(""))
    content = demo.sample_pdf("0" * padding)
    while len(content) > size:  # the stream's /Length grew by a digit
        padding -= len(content) - size
        content = demo.sample_pdf("0" * padding)
    assert len(content) == size
    return content


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


class TestCheckUploadAcceptsByContent:
    @pytest.mark.parametrize(
        ("name", "content", "mime", "extension"),
        [
            ("surat.pdf", demo.sample_pdf(), "application/pdf", "pdf"),
            ("struktur.docx", demo.sample_docx(), DOCX, "docx"),
            ("anggaran.xlsx", ooxml("xl/workbook.xml"), XLSX, "xlsx"),
            ("materi.pptx", demo.sample_pptx(), PPTX, "pptx"),
            ("layar.png", png(), "image/png", "png"),
            ("foto.jpg", jpeg(), "image/jpeg", "jpg"),
        ],
    )
    def test_allowed_types(self, db, name, content, mime, extension):
        checked = check_upload(upload(name, content))
        assert checked.content_type == mime
        assert checked.extension == extension
        assert checked.size == len(content)
        assert checked.safe_name == name.rsplit(".", 1)[0] + "." + extension

    def test_sha256_is_of_the_content(self, db):
        content = demo.sample_pdf("Sidik")
        assert check_upload(upload("a.pdf", content)).sha256 == hashlib.sha256(content).hexdigest()

    def test_the_file_can_still_be_read_after_the_check(self, db):
        content = demo.sample_docx()
        file = upload("a.docx", content)
        check_upload(file)
        assert file.read() == content

    def test_extension_follows_the_content_not_the_name(self, db):
        # A real Word document named .pdf is a Word document: it is kept as .docx.
        checked = check_upload(upload("surat.pdf", demo.sample_docx()))
        assert checked.content_type == DOCX
        assert checked.safe_name == "surat.docx"

    def test_a_pdf_named_exe_is_a_pdf(self, db):
        checked = check_upload(upload("surat.exe", demo.sample_pdf()))
        assert checked.content_type == "application/pdf"
        assert checked.safe_name == "surat.pdf"

    def test_name_of_an_image_without_extension(self, db):
        assert check_upload(upload("pindaian", png())).safe_name == "pindaian.png"


class TestCheckUploadRefuses:
    @pytest.mark.parametrize(
        "content",
        [
            pytest.param(EXE, id="exe"),
            pytest.param(ELF, id="elf"),
            pytest.param(HTML, id="html"),
            pytest.param(plain_zip(), id="zip"),
            pytest.param(b"%!PS-Adobe-3.0\n", id="postscript"),
            pytest.param(b"GIF89a" + b"\x00" * 32, id="gif"),
            pytest.param(b"just some text that claims to be a pdf", id="text"),
        ],
    )
    def test_a_pdf_name_does_not_make_a_pdf(self, db, content):
        with pytest.raises(ValidationError) as raised:
            check_upload(upload("surat.pdf", content))
        assert raised.value.code == "bad_type"
        assert raised.value.messages == [
            "Isi berkas bukan jenis yang diizinkan (DOCX, JPG, PDF, PNG, PPTX, XLSX)."
        ]

    def test_zip_with_office_parts_but_no_content_types_is_refused(self, db):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("word/document.xml", "<x/>")
        with pytest.raises(ValidationError) as raised:
            check_upload(upload("a.docx", out.getvalue()))
        assert raised.value.code == "bad_type"

    @pytest.mark.parametrize(
        "content",
        [demo.sample_docx(), png(), jpeg(), demo.sample_pptx()],
        ids=["docx", "png", "jpeg", "pptx"],
    )
    def test_pdf_only_refuses_other_allowed_types(self, db, content):
        with pytest.raises(ValidationError) as raised:
            check_upload(upload("surat.pdf", content), allowed=PDF_ONLY)
        assert raised.value.messages == ["Isi berkas bukan jenis yang diizinkan (PDF)."]

    def test_pdf_only_accepts_a_pdf(self, db):
        checked = check_upload(upload("surat.pdf", demo.sample_pdf()), allowed=PDF_ONLY)
        assert checked.content_type == "application/pdf"

    def test_empty_file(self, db):
        with pytest.raises(ValidationError) as raised:
            check_upload(upload("surat.pdf", b""))
        assert raised.value.code == "empty"
        assert raised.value.messages == ["Berkas kosong."]

    def test_size_limit(self, settings):
        settings.SOPAPP_MAX_UPLOAD_MB = 1
        limit = 1024 * 1024
        at_limit = pdf_of_size(limit)
        assert check_upload(upload("a.pdf", at_limit)).size == limit
        with pytest.raises(ValidationError) as raised:
            check_upload(upload("a.pdf", pdf_of_size(limit + 1)))
        assert raised.value.code == "too_large"
        assert "melebihi batas" in raised.value.messages[0]


class TestSafeFilename:
    @pytest.mark.parametrize(
        ("name", "expected"),
        [
            ("../../etc/passwd", "passwd.pdf"),
            ("/etc/../../x.pdf", "x.pdf"),
            ("..\\..\\windows\\system32\\evil.exe", "evil.pdf"),
            ("C:\\Users\\siti\\Desktop\\surat.PDF", "surat.pdf"),
            ("a\r\nb.pdf", "a_b.pdf"),
            ('x"; filename="evil.exe', "x_ filename_evil.pdf"),
            ("ÅNGSTRÖM.pdf", "ANGSTROM.pdf"),
            ("日本語.pdf", "dokumen.pdf"),
            (".pdf", "dokumen.pdf"),
            ("....", "dokumen.pdf"),
            ("", "dokumen.pdf"),
            (" .hidden.pdf", "hidden.pdf"),
            ("laporan.final.v2.pdf", "laporan.final.v2.pdf"),
        ],
    )
    def test_sanitised(self, name, expected):
        assert safe_filename(name, "pdf") == expected

    def test_long_names_are_cut(self):
        result = safe_filename("a" * 300 + ".pdf", "pdf")
        assert result == "a" * 80 + ".pdf"

    @pytest.mark.parametrize(
        "name", ["../../x", "a/b\\c", "\x00\x1f\x7fz", "<script>.pdf", "%2e%2e%2fetc"]
    )
    def test_no_path_separator_or_control_character_survives(self, name):
        result = safe_filename(name, "pdf")
        assert result.endswith(".pdf")
        assert not set(result) & set('/\\"<>%\r\n\x00\x1f\x7f')
        assert ".." not in result


# --- the upload page (workflow:upload) ----------------------------------------------------


def upload_url(req) -> str:
    return reverse("workflow:upload", args=[req.pk])


def post_upload(client, req, kind: str, file: SimpleUploadedFile, note: str = ""):
    return client.post(upload_url(req), {"kind": kind, "file": file, "note": note})


def design_doc(name: str = "struktur data.docx") -> SimpleUploadedFile:
    return upload(name, demo.sample_docx("Struktur data"))


@pytest.fixture
def design(make_request):
    """A proposal in step 5, assigned to ``prakom``."""
    return make_request(State.DESIGN)


class TestUploadAccess:
    def test_anonymous_is_sent_to_login(self, anon, design):
        url = upload_url(design)
        response = post_upload(anon, design, AttachmentKind.DATA_STRUCTURE, design_doc())
        assert response.status_code == 302
        assert response.url == f"{reverse('login')}?next={url}"
        assert not design.attachments.filter(kind=AttachmentKind.DATA_STRUCTURE).exists()

    def test_get_is_refused(self, clients, design):
        assert clients["prakom"].get(upload_url(design)).status_code == 405

    @pytest.mark.parametrize("role", ["pemohon", "kasi", "kabid", "kadis", "admin"])
    def test_only_the_current_actor_may_upload(self, clients, design, role):
        response = post_upload(clients[role], design, AttachmentKind.DATA_STRUCTURE, design_doc())
        assert response.status_code == 403
        assert not design.attachments.filter(kind=AttachmentKind.DATA_STRUCTURE).exists()

    def test_a_prakom_not_assigned_may_not_upload(self, clients, design):
        other = make_user("prakom2", Role.PRAKOM)
        clients["prakom"].force_login(other)
        response = post_upload(
            clients["prakom"], design, AttachmentKind.DATA_STRUCTURE, design_doc()
        )
        assert response.status_code == 403
        assert not design.attachments.filter(kind=AttachmentKind.DATA_STRUCTURE).exists()

    def test_other_unit_gets_404(self, clients, design):
        response = post_upload(
            clients["pemohon2"], design, AttachmentKind.DATA_STRUCTURE, design_doc()
        )
        assert response.status_code == 404
        assert not design.attachments.filter(kind=AttachmentKind.DATA_STRUCTURE).exists()

    def test_nobody_uploads_to_a_completed_proposal(self, clients, make_request):
        req = make_request(State.COMPLETED)
        count = req.attachments.count()
        for role in ("prakom", "kasi", "kadis", "pemohon"):
            response = post_upload(
                clients[role], req, AttachmentKind.MANUAL, upload("m.docx", demo.sample_docx())
            )
            assert response.status_code == 403, role
        assert req.attachments.count() == count


class TestUpload:
    def test_current_actor_uploads_version_1(self, clients, design, users):
        content = demo.sample_docx("Struktur data")
        response = post_upload(
            clients["prakom"],
            design,
            AttachmentKind.DATA_STRUCTURE,
            upload("struktur data.docx", content),
            note="Draf pertama",
        )
        assert response.status_code == 302
        assert response.url == design.get_absolute_url()
        attachment = design.attachments.get(kind=AttachmentKind.DATA_STRUCTURE)
        assert attachment.version == 1
        assert attachment.uploaded_by == users["prakom"]
        assert attachment.state_at_upload == State.DESIGN
        assert attachment.note == "Draf pertama"
        assert attachment.content_type == DOCX
        assert attachment.original_name == "struktur data.docx"
        with attachment.file.open("rb") as handle:
            assert handle.read() == content

    def test_same_kind_again_is_a_new_version_and_the_old_one_stays(self, clients, design):
        first = demo.sample_docx("Versi satu")
        second = demo.sample_docx("Versi dua")
        post_upload(
            clients["prakom"], design, AttachmentKind.DATA_STRUCTURE, upload("a.docx", first)
        )
        post_upload(
            clients["prakom"], design, AttachmentKind.DATA_STRUCTURE, upload("b.docx", second)
        )
        v1, v2 = design.attachments.filter(kind=AttachmentKind.DATA_STRUCTURE).order_by("version")
        assert (v1.version, v2.version) == (1, 2)
        assert v1.file.name != v2.file.name
        for attachment, content in ((v1, first), (v2, second)):
            response = clients["kasi"].get(attachment.get_absolute_url())
            assert response.status_code == 200
            assert b"".join(response.streaming_content) == content

    def test_versions_are_counted_per_kind(self, clients, design):
        post_upload(clients["prakom"], design, AttachmentKind.DATA_STRUCTURE, design_doc())
        post_upload(
            clients["prakom"],
            design,
            AttachmentKind.PROGRAM_FLOW,
            upload("alur.pdf", demo.sample_pdf()),
        )
        assert sorted(design.attachments.values_list("kind", "version")) == [
            (AttachmentKind.DATA_STRUCTURE, 1),
            (AttachmentKind.KAK_TOR, 1),
            (AttachmentKind.PROGRAM_FLOW, 1),
            (AttachmentKind.REQUEST_LETTER, 1),
        ]

    @pytest.mark.parametrize(
        "kind",
        [
            AttachmentKind.MANUAL,
            AttachmentKind.REPORT,
            AttachmentKind.REQUEST_LETTER,
            AttachmentKind.SOCIALISATION_MATERIAL,
            "not_a_kind",
        ],
    )
    def test_kinds_of_other_steps_are_refused(self, clients, design, kind):
        before = design.attachments.count()
        response = post_upload(clients["prakom"], design, kind, upload("x.pdf", demo.sample_pdf()))
        assert response.status_code == 200
        assert "kind" in response.context["upload_form"].errors
        assert "Masukkan pilihan yang valid." in response.content.decode()
        assert design.attachments.count() == before

    def test_the_request_letter_cannot_be_replaced_after_submission(self, clients, make_request):
        req = make_request(State.RECEIVE)
        response = post_upload(
            clients["kasi"], req, AttachmentKind.REQUEST_LETTER, upload("s.pdf", demo.sample_pdf())
        )
        assert response.status_code == 302
        followed = clients["kasi"].get(response["Location"])
        assert "tidak menerima unggahan" in followed.content.decode()
        assert req.attachments.filter(kind=AttachmentKind.REQUEST_LETTER).count() == 1

    @pytest.mark.parametrize("content", [EXE, HTML, plain_zip()], ids=["exe", "html", "zip"])
    def test_bad_content_is_refused_with_a_message(self, clients, design, content):
        response = post_upload(
            clients["prakom"],
            design,
            AttachmentKind.DATA_STRUCTURE,
            upload("struktur.docx", content),
        )
        assert response.status_code == 200
        assert "Isi berkas bukan jenis yang diizinkan" in response.content.decode()
        assert not design.attachments.filter(kind=AttachmentKind.DATA_STRUCTURE).exists()

    def test_oversized_file_is_refused_with_a_message(self, clients, design, settings):
        settings.SOPAPP_MAX_UPLOAD_MB = 1
        payload = b"%PDF-1.4\n" + b"0" * (1536 * 1024)
        response = post_upload(
            clients["prakom"], design, AttachmentKind.PROGRAM_FLOW, upload("alur.pdf", payload)
        )
        assert response.status_code == 200
        assert "melebihi batas" in response.content.decode()
        assert not design.attachments.filter(kind=AttachmentKind.PROGRAM_FLOW).exists()


class TestDownload:
    def test_sent_as_attachment_with_a_safe_name(self, clients, design):
        post_upload(
            clients["prakom"],
            design,
            AttachmentKind.DATA_STRUCTURE,
            upload('Struktur "akhir" – Dinkes.exe', demo.sample_docx()),
        )
        attachment = design.attachments.get(kind=AttachmentKind.DATA_STRUCTURE)
        response = clients["pemohon"].get(attachment.get_absolute_url())
        assert response.status_code == 200
        assert response["Content-Disposition"] == (
            'attachment; filename="Struktur _akhir_  Dinkes.docx"'
        )
        assert response["Content-Type"] == DOCX
        assert response["X-Content-Type-Options"] == "nosniff"

    def test_pdf_letter_download(self, clients, draft):
        attachment = draft.attachments.get(kind=AttachmentKind.REQUEST_LETTER)
        response = clients["pemohon"].get(attachment.get_absolute_url())
        assert response["Content-Disposition"] == 'attachment; filename="surat.pdf"'
        assert response["Content-Type"] == "application/pdf"

    def test_anonymous_is_sent_to_login(self, anon, draft):
        url = draft.attachments.get(kind=AttachmentKind.REQUEST_LETTER).get_absolute_url()
        response = anon.get(url)
        assert response.status_code == 302
        assert response.url == f"{reverse('login')}?next={url}"

    def test_post_is_refused(self, clients, draft):
        url = draft.attachments.get(kind=AttachmentKind.REQUEST_LETTER).get_absolute_url()
        assert clients["pemohon"].post(url).status_code == 405

    def test_attachment_of_another_proposal_is_404(self, clients, actors):
        first = demo.create_draft(actors, app_name="Satu")
        second = demo.create_draft(actors, app_name="Dua")
        foreign = second.attachments.get(kind=AttachmentKind.REQUEST_LETTER)
        url = reverse("requests_intake:attachment", args=[first.pk, foreign.pk])
        assert clients["pemohon"].get(url).status_code == 404

    def test_a_missing_file_is_404(self, clients, draft):
        attachment = draft.attachments.get(kind=AttachmentKind.REQUEST_LETTER)
        attachment.file.storage.delete(attachment.file.name)
        assert clients["pemohon"].get(attachment.get_absolute_url()).status_code == 404
        assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_macro_enabled_office_files_are_refused():
    import io
    import zipfile

    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from requests_intake.uploads import check_upload
    from workflow.demo import sample_docx

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        with zipfile.ZipFile(io.BytesIO(sample_docx())) as source:
            for name in source.namelist():
                archive.writestr(name, source.read(name))
        archive.writestr("word/vbaProject.bin", b"\x00macro")
    with pytest.raises(ValidationError):
        check_upload(SimpleUploadedFile("laporan.docx", buffer.getvalue()))
