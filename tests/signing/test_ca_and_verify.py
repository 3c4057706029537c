"""The office CA: certificates, the CRL, the commands, the certificate page; the public
verification upload's bad inputs."""

import io

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from signing import services
from signing.models import SignerCertificate
from tests.conftest import PASSWORD
from tests.signing.conftest import PASSPHRASES
from workflow import demo


class TestCertificates:
    def test_name_and_nip_in_the_subject_and_the_crl_named(self, certificates, users):
        certificate = certificates["kadis"]
        cert = x509.load_pem_x509_certificate(certificate.certificate_pem.encode())
        assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "Kadis Santoso"
        assert (
            cert.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)[0].value
            == users["kadis"].nip
        )
        points = cert.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
        assert points[0].full_name[0].value == "http://testserver" + reverse("signing:crl")
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
        assert usage.digital_signature and usage.content_commitment

    def test_the_certificate_page_links_the_ca_and_the_crl(self, certificates, clients):
        page = clients["kasi"].get(reverse("signing:certificate")).content.decode()
        assert "19780512 200501 1 004" in page  # the NIP grouped as on the documents
        for name in ("signing:ca_certificate", "signing:crl"):
            assert f'href="{reverse(name)}"' in page
            assert clients["kasi"].get(reverse(name)).status_code == 200

    def test_the_pkcs12_opens_only_with_the_passphrase(self, certificates):
        with certificates["kasi"].pkcs12.open("rb") as handle:
            bundle = handle.read()
        key, cert, _others = pkcs12.load_key_and_certificates(bundle, PASSPHRASES["kasi"].encode())
        assert cert.serial_number == int(certificates["kasi"].serial, 16)
        with pytest.raises(ValueError):
            pkcs12.load_key_and_certificates(bundle, b"tebakan")

    def test_the_crl_lists_a_revoked_certificate(self, certificates, anon):
        services.certificate_revoke(certificate_id=certificates["kabid"].pk, reason="uji")
        response = anon.get(reverse("signing:crl"))
        assert response.status_code == 200 and response["Content-Type"] == "application/pkix-crl"
        crl = x509.load_der_x509_crl(response.content)
        assert crl.get_revoked_certificate_by_serial_number(int(certificates["kabid"].serial, 16))
        assert not crl.get_revoked_certificate_by_serial_number(
            int(certificates["kadis"].serial, 16)
        )

    def test_rotation_revokes_the_old_certificate(self, certificates, users):
        new = services.certificate_issue(user=users["kasi"], passphrase="kasi-baru-2027")
        old = SignerCertificate.objects.get(pk=certificates["kasi"].pk)
        assert old.revoked_at is not None and new.revoked_at is None
        assert SignerCertificate.objects.active().get(user=users["kasi"]) == new


class TestCommands:
    def test_init_then_issue_from_stdin(self, users, monkeypatch):
        out = io.StringIO()
        call_command("signing_ca", "init", "--name", "CA Uji", stdout=out)
        assert "Created the CA: CA Uji" in out.getvalue()
        monkeypatch.setattr("sys.stdin", io.StringIO("passphrase-kasi\n"))
        call_command("signing_ca", "issue", "kasi", "--passphrase-stdin", stdout=out)
        certificate = SignerCertificate.objects.get(user=users["kasi"])
        with certificate.pkcs12.open("rb") as handle:
            pkcs12.load_key_and_certificates(handle.read(), b"passphrase-kasi")
        call_command("signing_ca", "revoke", "kasi", stdout=out)
        assert SignerCertificate.objects.get(pk=certificate.pk).revoked_at is not None

    def test_a_short_passphrase_is_refused(self, office_ca, users, monkeypatch):
        monkeypatch.setattr("sys.stdin", io.StringIO("pendek\n"))
        with pytest.raises(CommandError):
            call_command("signing_ca", "issue", "kasi", "--passphrase-stdin", stdout=io.StringIO())
        assert not SignerCertificate.objects.exists()


class TestCertificatePage:
    def test_an_official_sets_the_passphrase_of_a_new_certificate(self, office_ca, clients, users):
        url = reverse("signing:certificate")
        assert clients["kasi"].get(url).status_code == 200
        wrong = clients["kasi"].post(
            url, {"password": "bukan", "passphrase": "baru-12345", "passphrase_again": "baru-12345"}
        )
        assert wrong.status_code == 200 and "Kata sandi akun salah." in wrong.content.decode()
        differ = clients["kasi"].post(
            url,
            {"password": PASSWORD, "passphrase": "baru-12345", "passphrase_again": "lain-12345"},
        )
        assert differ.status_code == 200
        assert "Kedua passphrase tidak sama." in differ.content.decode()
        assert not SignerCertificate.objects.exists()
        done = clients["kasi"].post(
            url,
            {"password": PASSWORD, "passphrase": "baru-12345", "passphrase_again": "baru-12345"},
        )
        assert done.status_code == 302
        certificate = SignerCertificate.objects.get(user=users["kasi"])
        with certificate.pkcs12.open("rb") as handle:
            pkcs12.load_key_and_certificates(handle.read(), b"baru-12345")

    def test_a_requesting_unit_may_not(self, office_ca, clients):
        assert clients["pemohon"].get(reverse("signing:certificate")).status_code == 403


class TestVerificationUpload:
    def post(self, client, content: bytes, name="x.pdf"):
        return client.post(
            reverse("signing:verify_signatures"),
            {"signed_file": SimpleUploadedFile(name, content, "application/pdf")},
        )

    def test_the_form_is_on_the_verification_page(self, anon, db):
        page = anon.get(reverse("reports:verify")).content.decode()
        assert reverse("signing:verify_signatures") in page and 'name="signed_file"' in page

    def test_not_a_pdf(self, anon, db):
        response = self.post(anon, b"hello")
        assert response.status_code == 400 and "Berkas ini bukan PDF." in response.content.decode()

    def test_a_broken_pdf(self, anon, db):
        response = self.post(anon, b"%PDF-1.7\n" + b"\x00garbage" * 50)
        assert response.status_code == 400
        assert "tidak dapat dibaca sebagai PDF" in response.content.decode()

    def test_too_large(self, anon, db, settings):
        settings.SOPAPP_MAX_UPLOAD_MB = 1
        response = self.post(anon, b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 10))
        assert response.status_code == 400
        assert "Berkas terlalu besar (paling besar 1 MB)." in response.content.decode()

    def test_empty_and_missing(self, anon, db):
        assert self.post(anon, b"").status_code == 400
        response = anon.post(reverse("signing:verify_signatures"), {})
        assert response.status_code == 400
        assert "Pilih berkas PDF" in response.content.decode()

    def test_an_unsigned_pdf(self, anon, db):
        response = self.post(anon, demo.sample_pdf())
        page = response.content.decode()
        assert response.status_code == 200
        assert "tidak memuat tanda tangan elektronik" in page and "Tidak ada di arsip." in page

    def test_get_goes_to_the_verification_page(self, anon, db):
        response = anon.get(reverse("signing:verify_signatures"))
        assert response.status_code == 302 and response["Location"] == reverse("reports:verify")
