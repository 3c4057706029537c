"""The BSrE client against a local server that follows the signing service's interface."""

import socket

import pytest
from django.urls import reverse

from reports.models import DocumentKind
from signing import ca, services
from signing.backends import (
    Appearance,
    NotRegistered,
    ServiceTimeout,
    ServiceUnavailable,
    WrongPassphrase,
)
from signing.backends.bsre import BsreSigner
from signing.models import SignatureRequest, SignatureStatus, SignerProfile
from signing.validation import validate_pdf
from tests.signing.fake_bsre import BROKEN_NIK, SLOW_NIK, FakeBsre
from workflow import demo

KADIS_NIK = "3201011205780004"
PASSPHRASE = "bsre-rahasia-kadis"


@pytest.fixture
def fake_bsre(office_ca, users):
    """The service, signing with a certificate from the office CA (a stand-in for BSrE's)."""
    users["kadis"].first_name, users["kadis"].nip = "Budi", "197805122005011004"
    users["kadis"].save()
    issued = ca.issue(
        ca_certificate_pem=office_ca.certificate_pem.encode(),
        ca_key_pem=office_ca.key_pem.encode(),
        ca_passphrase=services.ca_passphrase(),
        name="Budi",
        nip="197805122005011004",
        organization="Uji",
        crl_url="http://testserver/tte/crl/",
        passphrase=PASSPHRASE.encode(),
    )
    SignerProfile.objects.create(user=users["kadis"], nik=KADIS_NIK)
    with FakeBsre(
        username="aplikasi-sop",
        password="kunci-aplikasi",
        accounts={KADIS_NIK: (PASSPHRASE, issued.pkcs12)},
        slow_seconds=4,
    ) as server:
        yield server


@pytest.fixture
def bsre_settings(settings, fake_bsre):
    settings.SOPAPP_SIGNER = "bsre"
    settings.SOPAPP_BSRE_URL = fake_bsre.url
    settings.SOPAPP_BSRE_USERNAME = "aplikasi-sop"
    settings.SOPAPP_BSRE_PASSWORD = "kunci-aplikasi"
    # Generous: the fake signs for real, on a machine that may be busy.
    settings.SOPAPP_BSRE_TIMEOUT = 10
    return settings


def client_for(server, *, password="kunci-aplikasi", timeout=10.0) -> BsreSigner:
    return BsreSigner(url=server.url, username="aplikasi-sop", password=password, timeout=timeout)


APPEARANCE = Appearance(
    position="KEPALA DINAS", name="Budi", nip="197805122005011004", qr_url="http://testserver/v/"
)


def test_signs_and_the_result_validates(fake_bsre, users):
    signed = client_for(fake_bsre).sign(
        demo.sample_pdf("Surat"),
        user=users["kadis"],
        passphrase=PASSPHRASE,
        field_name="TTE1",
        appearance=APPEARANCE,
    )
    (report,) = validate_pdf(signed)
    assert report.ok and report.signer == "Budi" and report.nip == "197805122005011004"
    sent = fake_bsre.requests[-1]
    assert sent["nik"] == KADIS_NIK and sent["tampilan"] == "visible"
    assert sent["linkQR"] == "http://testserver/v/"


@pytest.mark.parametrize(
    ("nik", "passphrase", "error", "words"),
    [
        (KADIS_NIK, "salah", WrongPassphrase, "Passphrase salah"),
        ("3201019999990001", PASSPHRASE, NotRegistered, "tidak terdaftar di BSrE"),
        (BROKEN_NIK, PASSPHRASE, ServiceUnavailable, "tidak dapat dihubungi"),
        (SLOW_NIK, PASSPHRASE, ServiceTimeout, "batas waktu"),
    ],
)
def test_errors_are_told_in_indonesian(fake_bsre, users, nik, passphrase, error, words):
    SignerProfile.objects.filter(user=users["kadis"]).update(nik=nik)
    with pytest.raises(error) as caught:
        client_for(fake_bsre, timeout=1.5 if error is ServiceTimeout else 10).sign(
            demo.sample_pdf(),
            user=users["kadis"],
            passphrase=passphrase,
            field_name="TTE1",
            appearance=APPEARANCE,
        )
    assert words in str(caught.value.message)
    assert caught.value.counts_as_failure == (error is WrongPassphrase)


def test_an_official_without_a_nik_is_told_so(fake_bsre, users):
    with pytest.raises(NotRegistered) as caught:
        client_for(fake_bsre).sign(
            demo.sample_pdf(),
            user=users["kabid"],
            passphrase="x",
            field_name="T",
            appearance=APPEARANCE,
        )
    assert "NIK Anda belum dicatat" in str(caught.value.message)


def test_rejected_application_credentials(fake_bsre, users):
    with pytest.raises(ServiceUnavailable) as caught:
        client_for(fake_bsre, password="salah").sign(
            demo.sample_pdf(),
            user=users["kadis"],
            passphrase=PASSPHRASE,
            field_name="T",
            appearance=APPEARANCE,
        )
    assert "kredensial aplikasi" in str(caught.value.message)


def test_a_service_that_is_down(users, db):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    SignerProfile.objects.create(user=users["kadis"], nik=KADIS_NIK)
    signer = BsreSigner(url=f"http://127.0.0.1:{port}", username="a", password="b", timeout=1)
    with pytest.raises(ServiceUnavailable) as caught:
        signer.sign(
            demo.sample_pdf(),
            user=users["kadis"],
            passphrase="x",
            field_name="T",
            appearance=APPEARANCE,
        )
    assert "tidak dapat dihubungi" in str(caught.value.message)


def test_kadis_signs_the_decision_through_bsre(bsre_settings, actors, walk, clients, fake_bsre):
    req = walk(demo.create_draft(actors), demo.HAPPY_PATH[:5])
    signature = SignatureRequest.objects.get(
        document__request=req, document__kind=DocumentKind.LETTER, role="kadis"
    )
    wrong = clients["kadis"].post(
        reverse("signing:sign", args=[signature.pk]), {"passphrase": "salah"}
    )
    assert wrong.status_code == 200 and "Passphrase salah" in wrong.content.decode()
    done = clients["kadis"].post(
        reverse("signing:sign", args=[signature.pk]), {"passphrase": PASSPHRASE}
    )
    assert done.status_code == 302
    signature.refresh_from_db()
    assert signature.status == SignatureStatus.SIGNED and signature.backend == "bsre"
    with signature.file.open("rb") as handle:
        (report,) = validate_pdf(handle.read())
    assert report.ok


def test_a_timeout_on_the_page_signs_nothing(bsre_settings, actors, walk, clients, users):
    req = walk(demo.create_draft(actors), demo.HAPPY_PATH[:5])
    SignerProfile.objects.filter(user=users["kadis"]).update(nik=SLOW_NIK)
    bsre_settings.SOPAPP_BSRE_TIMEOUT = 1
    signature = SignatureRequest.objects.get(
        document__request=req, document__kind=DocumentKind.LETTER, role="kadis"
    )
    response = clients["kadis"].post(
        reverse("signing:sign", args=[signature.pk]), {"passphrase": PASSPHRASE}
    )
    assert response.status_code == 200
    assert "batas waktu" in response.content.decode()
    assert SignatureRequest.objects.get(pk=signature.pk).status == SignatureStatus.PENDING
