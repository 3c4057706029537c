"""Layout at the widths people use: the header on one line at 1280 px, tables that reflow at
200 % zoom on a 1280 px screen (a 640 CSS px wide viewport), charts legible on a phone."""

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.ui import DESKTOP, PHONE, UI
from workflow.states import State

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ZOOM_200 = {"width": 640, "height": 450}  # 1280 × 900 at 200 % zoom, in CSS pixels

# Every scrolling table box on the page that is wider inside than it is shown.
_SIDEWAYS_TABLES = """() => Array.from(document.querySelectorAll(".table-responsive"))
  .filter(box => box.offsetParent !== null && box.scrollWidth > box.clientWidth + 1)
  .map(box => (box.closest("section") || box).querySelector("h2, caption")?.textContent.trim()
    || box.innerText.slice(0, 40))"""


# The pemohon has one link more than the Kasi, the administrator two.
@pytest.mark.parametrize("person", ["kasi", "pemohon", "admin"])
def test_the_header_stays_on_one_line_at_1280_px(ui: UI, users, person):
    page = ui.page
    users[person].first_name = "Dra. Hj. Siti Rahmawati Kusumaningrum"
    users[person].save()
    if person == "admin":  # signing in opens the Django admin: log in there, then a page of ours
        page.goto("/masuk/")
        page.get_by_label("Nama pengguna").fill(person)
        page.get_by_label("Sandi").fill(PASSWORD)
        page.get_by_role("main").get_by_role("button", name="Masuk").click()
        page.goto("/katalog/")
    else:
        ui.login(person)
    page.set_viewport_size(DESKTOP)
    bar = page.get_by_role("navigation", name="Navigasi utama")
    items = bar.locator(".navbar-brand, .nav-link, .btn")
    tops = {round(box["y"]) for box in (items.nth(i).bounding_box() for i in range(items.count()))}
    heights = [items.nth(i).bounding_box()["height"] for i in range(items.count())]
    assert max(tops) - min(tops) <= max(heights), f"header items on several lines: {sorted(tops)}"
    # ... and on the screen: nothing cut off at the right, no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    expect(bar.get_by_role("button", name="Keluar")).to_be_in_viewport(ratio=1)


def test_tables_reflow_at_200_percent_zoom(ui: UI, make_request):
    req = make_request(State.KASI_FORWARD, app_name="Sistem Informasi Kepegawaian Daerah")
    page = ui.page
    ui.login("kasi")
    page.set_viewport_size(ZOOM_200)
    for url in ("/kotak-masuk/", "/usulan/", "/dasbor/", req.get_absolute_url()):
        page.goto(url)
        assert page.evaluate(_SIDEWAYS_TABLES) == [], url
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= ZOOM_200["width"], f"{url} scrolls sideways ({width}px)"


def test_dashboard_charts_are_legible_on_a_phone(ui: UI, make_request):
    make_request(State.DESIGN)
    page = ui.page
    ui.login("kasi")
    page.set_viewport_size(PHONE)
    page.goto("/dasbor/")
    chart = page.get_by_role("img", name="Kepatuhan mutu baku per tahap")
    expect(chart).to_be_visible()
    expect(chart).to_have_accessible_description(
        "Satu batang per tahap: persentase kunjungan tahap yang selesai dalam standar waktunya"
        " (hijau 80% ke atas, jingga 50–79%, merah di bawah 50%)."
    )
    smallest = chart.evaluate(
        "svg => Math.min(...Array.from(svg.querySelectorAll('text'))"
        ".map(t => t.getBoundingClientRect().height))"
    )
    assert smallest >= 12, f"chart text {smallest:.1f}px high on a phone"
    # Each chart points to the table that holds its figures.
    link = page.get_by_role("link", name="Angkanya ada di tabel “Per tahap”.").first
    assert link.get_attribute("href") == "#t-steps"
