"""A core action done with the keyboard alone: Tab, Enter, Space, arrows and typing."""

import pytest
from playwright.sync_api import Locator, Page, expect

from requests_intake.models import ApplicationRequest
from tests.conftest import PASSWORD
from tests.e2e.ui import PHONE, UI
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


# The focus ring's colour against what lies behind it (WCAG 1.4.11: at least 3:1). The ring is
# drawn outside the element (outline-offset), so "behind" is the nearest ancestor's background.
_FOCUS_RING = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const rgb = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(v => {
    v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  }).reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
  let node = el.parentElement, bg = null;
  while (node) {
    const c = rgb(getComputedStyle(node).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] > 0.9)) { bg = c.slice(0, 3); break; }
    node = node.parentElement;
  }
  bg = bg || [255, 255, 255];
  const ring = rgb(style.outlineColor).slice(0, 3);
  const [a, b] = [lum(ring), lum(bg)].sort((x, y) => y - x);
  const rect = el.getBoundingClientRect();
  const text = (el.innerText || el.value || el.name || "").trim().slice(0, 30);
  return {
    name: `${el.tagName.toLowerCase()} "${text}"`,
    // Inside a native control (a date field's calendar button) Chromium draws the focus
    // itself and the page's :focus does not match; there is no page style to measure.
    native: !el.matches(":focus"),
    visible: style.outlineStyle !== "none"
      && parseFloat(style.outlineWidth) >= 2,
    ratio: (a + 0.05) / (b + 0.05),
    inMain: !!el.closest("main"),
    inFooter: !!el.closest("footer"),
    top: rect.top + window.scrollY, left: rect.left + window.scrollX,
  };
}"""


def focus_stops(page: Page, *, until_footer: bool = True, limit: int = 150) -> list[dict]:
    """Tab from the top of the page; what each focus stop looks like, in order."""
    page.locator("body").focus()
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate(_FOCUS_RING)
        stops.append(stop)
        if until_footer and stop["inFooter"]:
            break
    return stops


def test_every_focus_stop_has_a_ring_of_enough_contrast(ui: UI, make_request):
    req = make_request(State.RECEIVE, app_name="Sistem Informasi Kepegawaian Daerah")
    page = ui.page
    ui.login("kasi")
    page.goto(req.get_absolute_url())
    stops = focus_stops(page)
    assert len(stops) > 20, stops
    weak = [
        f"{s['name']}: {s['ratio']:.2f}:1"
        for s in stops
        if not s["native"] and (not s["visible"] or s["ratio"] < 3)
    ]
    assert not weak, "focus ring invisible or below 3:1 against its background:\n" + "\n".join(weak)


def test_on_a_phone_focus_follows_the_page_from_top_to_bottom(ui: UI, make_request):
    """The action form, shown first on a phone, is also reached first from the keyboard."""
    req = make_request(State.RECEIVE, app_name="Sistem Informasi Kepegawaian Daerah")
    page = ui.page
    ui.login("kasi")
    page.set_viewport_size(PHONE)
    page.goto(req.get_absolute_url())
    main = [s for s in focus_stops(page) if s["inMain"]]
    backwards = [
        f"{after['name']} (y={after['top']:.0f}) after {before['name']} (y={before['top']:.0f})"
        for before, after in zip(main, main[1:], strict=False)
        if after["top"] < before["top"] - 4
    ]
    assert not backwards, "focus moves up the page:\n" + "\n".join(backwards)
    first_field = page.get_by_label("Nomor agenda").evaluate("el => el.name")
    names = [s["name"] for s in main]
    assert any(first_field in n for n in names[:6]), names[:10]
