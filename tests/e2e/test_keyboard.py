"""A core action done with the keyboard alone: Tab, Enter, Space, arrows and typing."""

import pytest
from playwright.sync_api import Locator, Page, expect

from requests_intake.models import ApplicationRequest
from tests.conftest import PASSWORD
from tests.e2e.ui import UI
from workflow.models import Receipt, Sifat
from workflow.states import State

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def tab_to(page: Page, target: Locator, *, limit: int = 80) -> None:
    """Press Tab until ``target`` has the focus, which must then be visibly marked."""
    expect(target).to_be_visible()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            break
    else:
        raise AssertionError(f"{target} not reached with {limit} presses of Tab")
    outline = target.evaluate(
        "el => el.matches(':focus-visible') && getComputedStyle(el).outlineStyle !== 'none'"
        " && parseFloat(getComputedStyle(el).outlineWidth) >= 2"
    )
    assert outline, f"{target} has the focus but no visible focus outline"


def test_kasi_receives_a_proposal_with_the_keyboard_only(ui: UI, make_request):
    req = make_request(State.RECEIVE, app_name="Sistem Informasi Kepegawaian Daerah")
    page = ui.page
    page.goto("/masuk/")

    tab_to(page, page.get_by_label("Nama pengguna"))
    page.keyboard.type("kasi")
    tab_to(page, page.get_by_label("Sandi"))
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Kotak masuk", level=1)).to_be_visible()

    # The skip link comes first and jumps over the navigation.
    skip = page.get_by_role("link", name="Lompat ke konten")
    tab_to(page, skip)
    page.keyboard.press("Enter")
    proposal = ui.inbox_table().get_by_role("link", name=req.registration_number)
    tab_to(page, proposal, limit=3)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=req.app_name, level=1)).to_be_visible()

    form = ui.action_form("Terima usulan")
    tab_to(page, form.get_by_label("Nomor agenda"))
    page.keyboard.type("AG-2026-077")
    tab_to(page, form.get_by_label("Sifat"))
    page.keyboard.press("ArrowDown")  # Biasa → Segera
    expect(form.get_by_label("Sifat")).to_have_value(Sifat.SEGERA)
    tab_to(page, form.get_by_label("Hasil telaah"))
    page.keyboard.type("Lengkap; diteruskan kepada Kabid.")
    tab_to(page, form.get_by_role("button", name="Terima usulan"))
    page.keyboard.press("Space")

    ui.expect_message("Usulan diterima dan dicatat dalam buku agenda.")
    ui.expect_progress(done=2, current=3)
    receipt = Receipt.objects.get(request=req)
    assert (receipt.agenda_number, receipt.sifat) == ("AG-2026-077", Sifat.SEGERA)
    assert ApplicationRequest.objects.get(pk=req.pk).state == State.KASI_FORWARD
