"""Every page reachable by links, as each person sees it, at desktop and phone width.

On each page axe-core (WCAG 2.0/2.1/2.2 A and AA rules and best practices) finds no serious or
critical violation and the page itself does not scroll sideways at 375 px.
"""

import re
import time

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.crawl import Crawl
from tests.e2e.ui import PHONE, UI
from workflow import demo
from workflow.comments import comment_add
from workflow.states import Role, State

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


PEOPLE = ("pemohon", "pemohon2", "kasi", "kabid", "kadis", "prakom", "admin")


def proposals_in_every_state(make_request, actors, users) -> dict[int, str]:
    """One proposal per state a person meets, plus a returned report and a discussion."""
    states = {}
    for state in (
        State.DRAFT,
        State.RECEIVE,
        State.KASI_FORWARD,
        State.DECISION,
        State.DESIGN,
        State.REJECTED,
        State.COMPLETED,
    ):
        req = make_request(state, app_name=f"Sistem Informasi {state.label[:40]}")
        states[req.pk] = state
    returned = demo.take(make_request(State.KASI_CHECK), "kasi_return", actors)
    states[returned.pk] = "returned"
    comment_add(
        actor=users["kasi"],
        req=returned,
        body="Mohon lengkapi bab pengujian.",
        upload=SimpleUploadedFile("catatan.pdf", demo.sample_pdf("Catatan"), "application/pdf"),
    )
    return states


def test_every_page_reachable_by_links_is_accessible(ui: UI, make_request, actors, users):
    """Each person's crawl from the home page, plus the states only a form submission reaches."""
    started = time.monotonic()
    states = proposals_in_every_state(make_request, actors, users)
    # The administrator keeps the master data: every model of ours in the admin.
    Group.objects.get(name=Role.ADMIN).permissions.add(
        *Permission.objects.filter(
            content_type__app_label__in=["auth", "requests_intake", "workflow", "reports"]
        )
    )
    by_state = {state: pk for pk, state in states.items()}
    page = ui.page
    crawl = Crawl(ui, states)
    print(f"crawl: proposals ready after {time.monotonic() - started:.0f} s")

    crawl.crawl("anonymous", ["/masuk/", "/verifikasi/"])
    page.get_by_label("Nama pengguna").fill("pemohon")
    page.get_by_label("Sandi").fill("bukan sandinya")
    page.get_by_role("main").get_by_role("button", name="Masuk").click()
    crawl.check("login with errors")
    crawl.visit("not found", "/tidak-ada-halaman-ini/")
    page.goto("/masuk/")
    page.context.clear_cookies()  # the form's token no longer matches any cookie
    page.get_by_label("Nama pengguna").fill("pemohon")
    page.get_by_label("Sandi").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Formulir sudah kedaluwarsa")
    crawl.check("csrf failure", expect_status=403)

    for person in PEOPLE:
        page.context.clear_cookies()
        page.goto("/masuk/")
        page.get_by_label("Nama pengguna").fill(person)
        page.get_by_label("Sandi").fill(PASSWORD)
        page.get_by_role("main").get_by_role("button", name="Masuk").click()
        expect(page).not_to_have_url(re.compile(r"/masuk/"))
        start = ["/", "/admin/"] if person == "admin" else ["/"]
        crawl.crawl(person, start)
        if person == "pemohon":
            crawl.visit("forbidden", "/dasbor/")
            page.goto("/usulan/baru/")
            page.get_by_role("button", name="Simpan draf").click()
            crawl.check("intake form with errors")
        if person == "kasi":
            crawl.visit(
                "dashboard with filters",
                f"/dasbor/?date_from=2026-01-01&date_to=2026-12-31"
                f"&unit={users['pemohon'].unit_id}&state={State.DESIGN}",
            )
            crawl.visit(
                "dashboard with a wrong period", "/dasbor/?date_from=2026-12-31&date_to=2026-01-01"
            )
            page.goto(f"/usulan/{by_state[State.RECEIVE]}/")
            ui.action_form("Terima usulan").get_by_role("button", name="Terima usulan").click()
            expect(ui.action_form("Terima usulan").get_by_role("alert")).to_be_visible()
            crawl.check("action form with errors")
        if person == "admin":
            page.goto("/admin/")
            page.locator("#content-main a.addlink").first.click()
            page.locator("input[name=_save]").click()
            crawl.check("admin form with errors")

    elapsed = time.monotonic() - started
    print(f"crawl: {len(crawl.checked)} pages checked, {crawl.loads} loads, {elapsed:.0f} s")
    for seconds, name in sorted(crawl.timings, reverse=True)[:15]:
        print(f"  {seconds:.1f} s {name}")
    assert all(crawl.loads_by.get(person, 0) >= 3 for person in PEOPLE), crawl.loads_by
    assert not crawl.problems, "\n".join(crawl.problems)


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
