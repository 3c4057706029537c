"""Every main page, as each role sees it, at desktop and phone width.

On each page: axe-core finds no serious or critical violation, the page itself does not
scroll sideways at 375 px, and a screenshot lands in ``test-artifacts/screenshots/``.
"""

import pytest
from playwright.sync_api import expect

from tests.e2e.ui import DESKTOP, PHONE, UI
from workflow.states import State

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def check_pages(ui: UI, pages: dict[str, str]) -> list[str]:
    """Visit each page at both widths; the problems found on any of them."""
    problems = []
    for name, url in pages.items():
        for viewport in (DESKTOP, PHONE):
            ui.page.set_viewport_size(viewport)
            ui.page.goto(url)
            problems += ui.check_page(name)
    ui.page.set_viewport_size(DESKTOP)
    return problems


def test_main_pages_are_accessible_and_fit_a_phone(ui: UI, make_request):
    draft = make_request(State.DRAFT, app_name="Aplikasi Arsip Surat Dinas")
    receive = make_request(State.RECEIVE, app_name="Sistem Informasi Kepegawaian Daerah")
    decision = make_request(State.DECISION, app_name="Aplikasi Perizinan Reklame")
    design = make_request(State.DESIGN, app_name="Aplikasi Inventaris Barang Milik Daerah")
    completed = make_request(State.COMPLETED, app_name="Sistem Informasi Posyandu Digital")
    problems = check_pages(ui, {"login": "/masuk/", "verify": "/verifikasi/"})

    ui.login("pemohon")
    problems += check_pages(
        ui,
        {
            "inbox-pemohon": "/kotak-masuk/",
            "list": "/usulan/",
            "intake-form": "/usulan/baru/",
            "proposal-draft": draft.get_absolute_url(),
            "proposal-completed": completed.get_absolute_url(),
            "notifications": "/notifikasi/",
            "preferences": "/pengaturan/",
        },
    )
    ui.logout()

    ui.login("kasi")
    problems += check_pages(
        ui,
        {
            "inbox-kasi": "/kotak-masuk/",
            "proposal-receive": receive.get_absolute_url(),
            "dashboard": "/dasbor/",
        },
    )
    ui.logout()

    ui.login("kadis")
    problems += check_pages(ui, {"proposal-decision": decision.get_absolute_url()})
    ui.logout()

    ui.login("prakom")
    problems += check_pages(ui, {"proposal-design": design.get_absolute_url()})

    assert not problems, "\n".join(problems)


def test_intake_errors_are_summarised_on_top_and_shown_at_each_field(ui: UI):
    page = ui.page
    ui.login("pemohon")
    page.goto("/usulan/baru/")
    page.get_by_label("Telepon narahubung").fill("nomor saya")
    page.get_by_role("button", name="Simpan draf").click()

    summary = page.get_by_role("alert").filter(has_text="Periksa kembali isian berikut:")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Nama aplikasi yang diusulkan")).to_be_visible()
    phone = page.get_by_label("Telepon narahubung")
    expect(phone).to_have_attribute("aria-invalid", "true")
    expect(phone).to_have_accessible_description(
        "Nomor telepon hanya boleh berisi angka, spasi, +, -, titik dan kurung."
    )
    summary.get_by_role("link", name="Telepon narahubung").click()
    expect(phone).to_be_focused()
    problems = ui.check_page("intake-form-errors")
    page.set_viewport_size(PHONE)
    problems += ui.check_page("intake-form-errors")
    assert not problems, "\n".join(problems)


def test_action_form_errors_are_summarised_and_announced(ui: UI, make_request):
    req = make_request(State.RECEIVE)
    page = ui.page
    ui.login("kasi")
    page.goto(req.get_absolute_url())
    form = ui.action_form("Terima usulan")
    form.get_by_role("button", name="Terima usulan").click()

    form = ui.action_form("Terima usulan")
    summary = form.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Nomor agenda")
    agenda = form.get_by_label("Nomor agenda")
    expect(agenda).to_have_attribute("aria-invalid", "true")
    expect(agenda).to_have_accessible_description("Bidang ini tidak boleh kosong.")
    assert not ui.check_page("proposal-action-errors"), "axe or width problems"


def test_language_switcher_turns_the_page_into_english(ui: UI):
    page = ui.page
    ui.login("kasi")
    footer = page.get_by_role("contentinfo")
    footer.get_by_label("Bahasa").select_option("en")
    footer.get_by_role("button", name="Ganti").click()
    expect(page.get_by_role("heading", name="Inbox", level=1)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("navigation", name="Main navigation")).to_be_visible()
    problems = ui.check_page("inbox-english")
    page.get_by_role("contentinfo").get_by_label("Language").select_option("id")
    page.get_by_role("contentinfo").get_by_role("button", name="Change").click()
    expect(page.get_by_role("heading", name="Kotak masuk", level=1)).to_be_visible()
    assert not problems, "\n".join(problems)


def test_error_summary_links_reach_a_checkbox_group(ui: UI, make_request):
    req = make_request(State.KASI_FORWARD)
    page = ui.page
    ui.login("kasi")
    page.goto(req.get_absolute_url())
    ui.action_form("Teruskan kepada Kabid").get_by_role("button").click()

    form = ui.action_form("Teruskan kepada Kabid")
    expect(form.get_by_role("alert")).to_be_focused()
    form.get_by_role("alert").get_by_role("link", name="Instruksi disposisi").click()
    expect(form.get_by_label("Tanggapan dan saran")).to_be_focused()
