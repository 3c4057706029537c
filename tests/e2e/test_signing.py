"""The Kepala Dinas signs his step-4 decision electronically, in the browser."""

import pytest
from playwright.sync_api import expect

from reports.models import Document, DocumentKind
from signing import services
from signing.models import SignatureRequest, SignatureStatus
from signing.validation import validate_pdf
from tests.e2e.ui import UI
from workflow import demo

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSPHRASE = "kadis-rahasia-tte"


def test_kadis_signs_the_step_4_decision(ui: UI, users, actors, settings):
    settings.SOPAPP_SIGNER = "local"
    services.ca_init(name="CA Diskominfo Uji")
    kadis = users["kadis"]
    kadis.first_name, kadis.last_name, kadis.nip = "Suryadi", "Hartono", "197005121995031002"
    kadis.save()
    services.certificate_issue(user=kadis, passphrase=PASSPHRASE)
    req = demo.walk(demo.create_draft(actors), actors, demo.HAPPY_PATH[:5])  # decided at step 4
    doc = Document.objects.get(request=req, kind=DocumentKind.LETTER)
    signature = SignatureRequest.objects.get(document=doc)

    page = ui.page
    ui.login("kadis")
    ui.nav("Tanda tangan")
    expect(page.get_by_role("heading", name="Siap ditandatangani", level=1)).to_be_visible()
    row = page.get_by_role("row").filter(has_text=doc.number)
    expect(row).to_have_count(1)
    row.get_by_role("link", name="Periksa dan tandatangani").click()
    expect(page.get_by_role("heading", name="Tandatangani dokumen", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Buka dokumen (PDF)")).to_be_visible()

    page.get_by_label("Passphrase sertifikat elektronik").fill("bukan-passphrase")
    page.get_by_role("button", name="Tandatangani secara elektronik").click()
    expect(page.get_by_role("alert")).to_contain_text("Passphrase salah")

    page.get_by_label("Passphrase sertifikat elektronik").fill(PASSPHRASE)
    page.get_by_role("button", name="Tandatangani secara elektronik").click()
    ui.expect_message("berhasil ditandatangani secara elektronik")
    # The letter leaves the list; the lembar disposisi of the same decision is still on it.
    expect(page.get_by_role("row").filter(has_text=doc.number)).to_have_count(0)
    expect(page.get_by_role("row").filter(has_text="Lembar Disposisi")).to_have_count(1)

    signature.refresh_from_db()
    assert signature.status == SignatureStatus.SIGNED
    with signature.file.open("rb") as handle:
        (report,) = validate_pdf(handle.read())
    assert report.ok and report.signer == "Suryadi Hartono" and report.nip == kadis.nip
