"""Signing a checkpoint document through the pages, and what the signed file says."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pyhanko.pdf_utils.reader import PdfFileReader

from reports.models import Document, DocumentKind, Letterhead
from signing import services
from signing.models import SignatureRequest, SignatureStatus
from signing.selectors import record_of
from signing.validation import validate_pdf
from tests.reports.conftest import pdf_pages
from tests.signing.conftest import PASSPHRASES
from workflow import demo


def decision_of(req) -> Document:
    return Document.objects.get(request=req, kind=DocumentKind.LETTER)


def read(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()


def sign_page(client, signature, passphrase):
    return client.post(reverse("signing:sign", args=[signature.pk]), {"passphrase": passphrase})


class TestSignatureRequests:
    def test_the_decision_awaits_the_kadis_who_took_it(self, decided, users):
        doc = decision_of(decided)
        (signature,) = SignatureRequest.objects.filter(document=doc)
        assert (signature.role, signature.signer, signature.status) == (
            "kadis",
            users["kadis"],
            SignatureStatus.PENDING,
        )
        # Working papers (tanda terima, rancangan sistem) get no request.
        assert not SignatureRequest.objects.filter(
            document__kind__in=[DocumentKind.RECEIPT, DocumentKind.DESIGN]
        ).exists()

    def test_the_signer_sees_it_ready_and_others_do_not(self, decided, clients):
        doc = decision_of(decided)
        page = clients["kadis"].get(reverse("signing:pending"))
        assert page.status_code == 200
        assert doc.number in page.content.decode()
        assert doc.number not in clients["kabid"].get(reverse("signing:pending")).content.decode()

    def test_the_proposal_page_says_who_still_has_to_sign(self, decided, clients):
        page = clients["kasi"].get(decided.get_absolute_url()).content.decode()
        assert "Menunggu tanda tangan elektronik" in page
        assert "Kadis Santoso" in page

    def test_the_unsigned_draft_says_so_on_every_page(self, decided, clients):
        doc = decision_of(decided)
        response = clients["kasi"].get(reverse("reports:download", args=[decided.pk, doc.pk]))
        content = b"".join(response.streaming_content) if response.streaming else response.content
        pages = pdf_pages(content)
        assert pages and all("BELUM DITANDATANGANI SECARA ELEKTRONIK" in p for p in pages)
        # The archived render itself stays as rendered (its hash unchanged).
        assert "BELUM DITANDATANGANI" not in "".join(pdf_pages(read(doc.file)))


class TestSignedOnPaper:
    """The office began signing electronically on the kop surat's ``esign_since``: a document
    dated before it was signed on paper and waits for nobody."""

    @pytest.fixture
    def since(self, db):
        def set_since(day):
            letterhead = Letterhead.load()
            letterhead.esign_since = day
            letterhead.save()

        return set_since

    def test_a_document_dated_before_the_start_awaits_no_signature(
        self, since, actors, walk, certificates, clients
    ):
        since(timezone.localdate() + datetime.timedelta(days=1))
        req = walk(demo.create_draft(actors), demo.HAPPY_PATH[:5])
        doc = decision_of(req)
        assert doc.number and not SignatureRequest.objects.filter(document=doc).exists()
        pending = clients["kadis"].get(reverse("signing:pending")).content.decode()
        assert doc.number not in pending
        text = " ".join(" ".join(pdf_pages(read(doc.file))).split())
        assert "ditandatangani secara elektronik" not in text
        assert record_of(doc).signatures == [] and not record_of(doc).needs_signatures

    def test_a_document_dated_on_the_start_awaits_its_signer(
        self, since, actors, walk, certificates, clients
    ):
        since(timezone.localdate())
        req = walk(demo.create_draft(actors), demo.HAPPY_PATH[:5])
        doc = decision_of(req)
        (signature,) = SignatureRequest.objects.filter(document=doc)
        assert signature.role == "kadis" and signature.status == SignatureStatus.PENDING
        assert doc.number in clients["kadis"].get(reverse("signing:pending")).content.decode()
        text = " ".join(" ".join(pdf_pages(read(doc.file))).split())
        assert "telah ditandatangani secara elektronik" in text


class TestSigningThroughThePages:
    def test_kadis_signs_and_the_archive_keeps_the_signed_file(self, decided, clients, users):
        doc = decision_of(decided)
        signature = SignatureRequest.objects.get(document=doc)
        review = clients["kadis"].get(reverse("signing:document_pdf", args=[signature.pk]))
        assert review.status_code == 200 and review.content.startswith(b"%PDF-")

        response = sign_page(clients["kadis"], signature, PASSPHRASES["kadis"])
        assert response.status_code == 302

        signature.refresh_from_db()
        assert signature.status == SignatureStatus.SIGNED
        assert signature.signed_by == users["kadis"] and signature.signed_at is not None
        signed = read(signature.file)
        record = record_of(doc)
        assert record.signed and record.sha256 == signature.sha256
        # Validated by pyHanko against the office CA: signer, NIP, intact, trusted.
        (report,) = validate_pdf(signed)
        assert report.signer == "Kadis Santoso"
        assert report.nip == users["kadis"].nip
        assert report.intact and report.valid and report.unmodified
        assert report.trusted and not report.revoked
        # The visible box in BSSN's wording, on the last page.
        assert "Ditandatangani secara elektronik oleh" in _appearance_text(signed)
        # The download now serves the signed file; the verification page shows its hash.
        download = clients["kasi"].get(reverse("reports:download", args=[decided.pk, doc.pk]))
        assert b"".join(download.streaming_content) == signed
        page = clients["kasi"].get(doc.verify_path).content.decode()
        assert signature.sha256 in page and doc.sha256 not in page
        # Off the Kepala Dinas's list; the lembar disposisi of the same decision is still on it.
        pending = clients["kadis"].get(reverse("signing:pending")).context["signatures"]
        assert signature not in pending
        assert [s.document.kind for s in pending] == [DocumentKind.KADIS_DISPOSITION]

    def test_the_passphrase_is_never_stored(self, decided, clients):
        signature = SignatureRequest.objects.get(document=decision_of(decided))
        sign_page(clients["kadis"], signature, PASSPHRASES["kadis"])
        from django.db import connection

        with connection.cursor() as cursor:
            for table in connection.introspection.table_names():
                cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608
                for row in cursor.fetchall():
                    assert PASSPHRASES["kadis"] not in repr(row), table

    def test_a_signed_document_cannot_be_signed_twice(self, decided, clients):
        signature = SignatureRequest.objects.get(document=decision_of(decided))
        sign_page(clients["kadis"], signature, PASSPHRASES["kadis"])
        first = SignatureRequest.objects.get(pk=signature.pk)
        again = sign_page(clients["kadis"], signature, PASSPHRASES["kadis"])
        assert again.status_code == 302
        second = SignatureRequest.objects.get(pk=signature.pk)
        assert (second.sha256, second.signed_at) == (first.sha256, first.signed_at)
        assert len(validate_pdf(read(second.file))) == 1


def _appearance_text(pdf: bytes) -> str:
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    texts = []
    for sig in reader.embedded_signatures:
        widget = sig.sig_field
        ap = widget.get("/AP") or widget["/Kids"][0]["/AP"]
        stream = ap["/N"]
        texts.append(stream.data.decode("latin-1"))
        for xobject in stream.get("/Resources", {}).get("/XObject", {}).values():
            texts.append(xobject.get_object().data.decode("latin-1", "replace"))
    return "".join(texts)


class TestTamperingAndRevocation:
    @pytest.fixture
    def signed(self, decided, clients):
        signature = SignatureRequest.objects.get(document=decision_of(decided))
        sign_page(clients["kadis"], signature, PASSPHRASES["kadis"])
        signature.refresh_from_db()
        return read(signature.file)

    def test_one_flipped_byte_is_reported_modified(self, signed):
        # A byte inside the signed content (the first page's stream), not the signature.
        position = signed.index(b"stream", 200) + 20
        tampered = bytearray(signed)
        tampered[position] ^= 0x01
        (report,) = validate_pdf(bytes(tampered))
        assert not report.intact and not report.ok

    def test_a_revoked_certificate_is_reported_revoked(self, signed, certificates):
        services.certificate_revoke(certificate_id=certificates["kadis"].pk, reason="uji")
        (report,) = validate_pdf(signed)
        assert report.revoked and not report.ok
        assert report.intact

    def test_the_verification_page_reports_each_signature(self, signed, anon, users):
        response = anon.post(
            reverse("signing:verify_signatures"),
            {"signed_file": SimpleUploadedFile("x.pdf", signed, "application/pdf")},
        )
        page = response.content.decode()
        assert response.status_code == 200
        nip = users["kadis"].nip
        assert "Kadis Santoso" in page
        assert f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}" in page  # as printed on the documents
        assert "utuh" in page and "tepercaya" in page and "tidak dicabut" in page
        assert "Cocok." in page  # the archive check beside it

    def test_the_tampered_file_on_the_verification_page(self, signed, anon):
        position = signed.index(b"stream", 200) + 20
        tampered = bytearray(signed)
        tampered[position] ^= 0x01
        page = anon.post(
            reverse("signing:verify_signatures"),
            {"signed_file": SimpleUploadedFile("x.pdf", bytes(tampered), "application/pdf")},
        ).content.decode()
        assert "diubah setelah ditandatangani" in page
        assert "Tidak ada di arsip." in page

    def test_verify_documents_checks_every_signed_document(self, signed, certificates):
        from django.core.management import call_command
        from django.core.management.base import CommandError

        out = io.StringIO()
        call_command("verify_documents", stdout=out)
        assert "OK " in out.getvalue() and "0 with problems" in out.getvalue()
        services.certificate_revoke(certificate_id=certificates["kadis"].pk)
        with pytest.raises(CommandError):
            call_command("verify_documents", stdout=io.StringIO())


def test_two_successive_signatures_both_stay_valid(actors, walk, certificates, clients, users):
    """The lembar pengesahan of the approved report: Prakom, Kasi, Kabid, Kepala Dinas."""
    req = walk(
        demo.create_draft(actors), demo.HAPPY_PATH[: demo.HAPPY_PATH.index("kadis_accept") + 1]
    )
    doc = Document.objects.get(
        request=req, kind=DocumentKind.REPORT, log__transition="kadis_accept"
    )
    signatures = list(SignatureRequest.objects.filter(document=doc).order_by("order"))
    assert [s.role for s in signatures] == ["prakom", "kasi", "kabid", "kadis"]
    # Not the Kasi's turn before the Prakom has signed.
    early = sign_page(clients["kasi"], signatures[1], PASSPHRASES["kasi"])
    assert early.status_code == 302
    assert SignatureRequest.objects.get(pk=signatures[1].pk).status == SignatureStatus.PENDING
    for signature in signatures:
        role = signature.role
        assert sign_page(clients[role], signature, PASSPHRASES[role]).status_code == 302
    final = read(SignatureRequest.objects.get(pk=signatures[-1].pk).file)
    reports = validate_pdf(final)
    assert [r.signer for r in reports] == [
        users[role].get_full_name() for role in ("prakom", "kasi", "kabid", "kadis")
    ]
    assert all(r.ok for r in reports), reports
    assert record_of(doc).signed


class TestWrongPassphrase:
    def test_refused_counted_then_locked_out(self, decided, clients, settings):
        settings.AXES_FAILURE_LIMIT = 3
        signature = SignatureRequest.objects.get(document=decision_of(decided))
        for _attempt in range(2):
            response = sign_page(clients["kadis"], signature, "salah-salah")
            assert response.status_code == 200
            assert "Passphrase salah" in response.content.decode()
        locked = sign_page(clients["kadis"], signature, "salah-salah")
        assert locked.status_code == 429
        assert "Terlalu banyak passphrase salah" in locked.content.decode()
        # Even the right passphrase is refused while locked; nothing was signed.
        assert sign_page(clients["kadis"], signature, PASSPHRASES["kadis"]).status_code == 429
        assert SignatureRequest.objects.get(pk=signature.pk).status == SignatureStatus.PENDING
        # The login is not locked by it.
        assert clients["kadis"].get(reverse("signing:pending")).status_code == 200

    def test_a_success_resets_the_count(self, decided, clients, settings):
        settings.AXES_FAILURE_LIMIT = 3
        signature = SignatureRequest.objects.get(document=decision_of(decided))
        sign_page(clients["kadis"], signature, "salah-salah")
        sign_page(clients["kadis"], signature, "salah-salah")
        assert sign_page(clients["kadis"], signature, PASSPHRASES["kadis"]).status_code == 302
        from axes.models import AccessAttempt

        assert not AccessAttempt.objects.filter(username="tte:kadis").exists()

    def test_an_empty_passphrase_is_a_form_error_not_a_failure(self, decided, clients):
        signature = SignatureRequest.objects.get(document=decision_of(decided))
        response = sign_page(clients["kadis"], signature, "")
        assert response.status_code == 200
        assert "Isi passphrase Anda." in response.content.decode()

    def test_an_official_without_a_certificate_is_told_so(self, decided, clients, certificates):
        services.certificate_revoke(certificate_id=certificates["kadis"].pk)
        signature = SignatureRequest.objects.get(document=decision_of(decided))
        response = sign_page(clients["kadis"], signature, PASSPHRASES["kadis"])
        assert response.status_code == 200
        assert "belum memiliki sertifikat elektronik" in response.content.decode()


class TestAccess:
    def test_anonymous_is_sent_to_login(self, decided, anon):
        signature = SignatureRequest.objects.get(document=decision_of(decided))
        for url in (
            reverse("signing:pending"),
            reverse("signing:sign", args=[signature.pk]),
            reverse("signing:document_pdf", args=[signature.pk]),
            reverse("signing:certificate"),
        ):
            response = anon.get(url)
            assert response.status_code == 302 and "/masuk/" in response["Location"]

    def test_a_requesting_unit_is_forbidden_and_another_official_gets_404(self, decided, clients):
        signature = SignatureRequest.objects.get(document=decision_of(decided))
        assert clients["pemohon"].get(reverse("signing:pending")).status_code == 403
        assert (
            clients["pemohon"].get(reverse("signing:sign", args=[signature.pk])).status_code == 403
        )
        assert clients["kabid"].get(reverse("signing:sign", args=[signature.pk])).status_code == 404
        response = sign_page(clients["kabid"], signature, PASSPHRASES["kabid"])
        assert response.status_code == 404
        assert SignatureRequest.objects.get(pk=signature.pk).status == SignatureStatus.PENDING

    def test_wrong_methods(self, decided, clients):
        signature = SignatureRequest.objects.get(document=decision_of(decided))
        assert clients["kadis"].post(reverse("signing:pending")).status_code == 405
        assert (
            clients["kadis"].post(reverse("signing:document_pdf", args=[signature.pk])).status_code
            == 405
        )
        assert clients["kadis"].put(reverse("signing:sign", args=[signature.pk])).status_code == 405

    def test_pending_list_query_count_is_constant(
        self, decided, clients, django_assert_num_queries, actors, walk
    ):
        client = clients["kadis"]
        client.get(reverse("signing:pending"))
        with django_assert_num_queries(6) as one:
            client.get(reverse("signing:pending"))
        walk(demo.create_draft(actors), demo.HAPPY_PATH[:5])
        with django_assert_num_queries(len(one.captured_queries)):
            page = client.get(reverse("signing:pending"))
        # Two decisions, each a letter and a lembar disposisi for the Kepala Dinas.
        assert len(page.context["signatures"]) == 4
