"""What a person does and sees in the browser, in the words on the screen (Indonesian).

Locators go by role and visible label, as a person (or a screen reader) finds things, so a
control that loses its label fails the tests.
"""

import re
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}

_AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => `${v.impact} ${v.id}: ${v.help} — ` +
      v.nodes.slice(0, 5).map(n => n.target.join(" ")).join(" | "));
}"""


class UI:
    def __init__(self, page: Page):
        self.page = page
        self.dialogs: list[str] = []
        self.console_errors: list[str] = []
        page.set_default_timeout(15_000)
        page.on("dialog", self._accept_dialog)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.console_errors.append(f"{page.url}: {error}"))

    # -- what happens around the test -------------------------------------------------------
    def _accept_dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.accept()

    def _on_console(self, message) -> None:
        # A CSP violation, a broken SVG attribute or a failed resource is a defect too.
        if message.type == "error":
            self.console_errors.append(f"{self.page.url}: {message.text}")

    def assert_no_console_errors(self) -> None:
        assert not self.console_errors, "\n".join(self.console_errors)

    # -- session ---------------------------------------------------------------------------
    def login(self, username: str, password: str = PASSWORD) -> None:
        page = self.page
        page.goto("/masuk/")
        page.get_by_label("Nama pengguna").fill(username)
        page.get_by_label("Sandi").fill(password)
        page.get_by_role("main").get_by_role("button", name="Masuk").click()
        expect(page.get_by_role("heading", name="Kotak masuk", level=1)).to_be_visible()

    def open_menu(self) -> None:
        """On a phone the navigation sits behind the menu button."""
        toggler = self.page.get_by_role("button", name="Buka menu")
        if toggler.is_visible():
            toggler.click()
            expect(self.page.locator("#mainnav")).to_be_visible()

    def logout(self) -> None:
        self.open_menu()
        self.page.get_by_role("button", name="Keluar").click()
        expect(self.page.get_by_role("heading", name="Masuk", level=1)).to_be_visible()

    def nav(self, name: str) -> None:
        self.open_menu()
        self.page.get_by_role("navigation", name="Navigasi utama").get_by_role(
            "link", name=name
        ).first.click()

    # -- inbox and proposal page -----------------------------------------------------------
    def inbox_table(self) -> Locator:
        return self.page.get_by_role("table", name="Usulan yang menunggu tindakan Anda")

    def open_from_inbox(self, number: str, *, step: int) -> None:
        """The proposal waits in this person's inbox at ``step``; open it."""
        self.nav("Kotak masuk")
        row = self.inbox_table().get_by_role("row").filter(has_text=number)
        expect(row).to_have_count(1)
        expect(row).to_contain_text(f"Tahap {step}")
        row.get_by_role("link", name=number).click()
        expect(self.page).to_have_url(re.compile(r"/usulan/\d+/$"))
        expect(self.page.get_by_role("main")).to_contain_text(number)

    def expect_not_in_inbox(self, number: str) -> None:
        self.nav("Kotak masuk")
        expect(self.page.get_by_role("heading", name="Kotak masuk", level=1)).to_be_visible()
        expect(self.page.get_by_role("main").get_by_role("link", name=number)).to_have_count(0)

    def action_form(self, label: str) -> Locator:
        return self.page.get_by_role("form", name=label, exact=True)

    def act(
        self,
        label: str,
        fields: dict[str, str] | None = None,
        *,
        checks: tuple[str, ...] = (),
        selects: dict[str, str] | None = None,
        confirm: str | None = None,
        success: str,
    ) -> None:
        """Fill the action form titled ``label``, press its button, see the success message.

        ``confirm`` is the question the browser must ask first (accepted); without it no
        question may be asked.
        """
        form = self.action_form(label)
        expect(form).to_be_visible()
        for field, value in (fields or {}).items():
            form.get_by_label(field).fill(value)
        for field in checks:
            form.get_by_label(field).check()
        for field, option in (selects or {}).items():
            form.get_by_label(field).select_option(label=option)
        asked = len(self.dialogs)
        form.get_by_role("button", name=label, exact=True).click()
        self.expect_message(success)
        if confirm:
            assert self.dialogs[asked:] == [confirm], self.dialogs[asked:]
        else:
            assert self.dialogs[asked:] == [], self.dialogs[asked:]

    def expect_message(self, text: str) -> None:
        expect(self.page.get_by_role("status").filter(has_text=text)).to_be_visible()

    def upload(self, kind: str, name: str, content: bytes, mime: str, *, version: int = 1):
        section = self.page.get_by_role("region", name="Unggah dokumen")
        section.get_by_label("Jenis dokumen").select_option(label=kind)
        section.get_by_label("Berkas").set_input_files(
            {"name": name, "mimeType": mime, "buffer": content}
        )
        section.get_by_role("button", name="Unggah").click()
        self.expect_message(f"{kind} versi {version} diunggah.")

    def expect_progress(self, *, done: int, current: int | None) -> None:
        """The 12-step bar: ``done`` steps ticked, ``current`` marked as the step now."""
        bar = self.page.get_by_role("navigation", name="Kemajuan 12 tahap SOP")
        expect(bar.get_by_role("listitem")).to_have_count(12)
        expect(bar.get_by_role("listitem").filter(has_text="(selesai)")).to_have_count(done)
        current_step = bar.locator("[aria-current=step]")
        if current is None:
            expect(current_step).to_have_count(0)
        else:
            expect(current_step).to_have_count(1)
            expect(current_step).to_contain_text(re.compile(rf"^\s*{current}\b"))

    def timeline(self) -> Locator:
        return self.page.get_by_role("region", name="Riwayat").get_by_role("listitem")

    def expect_timeline(self, count: int, latest: str) -> None:
        """``count`` entries, one of which (the newest) names ``latest`` as the new state."""
        entries = self.timeline()
        expect(entries).to_have_count(count)
        expect(entries.filter(has_text=latest)).not_to_have_count(0)

    def documents(self) -> Locator:
        return self.page.get_by_role("region", name="Dokumen", exact=True)

    # -- checks of a whole page --------------------------------------------------------------
    def axe_violations(self) -> list[str]:
        """Serious or critical axe-core violations on the page as it is now."""
        if not self.page.evaluate("() => typeof window.axe !== 'undefined'"):
            self.page.evaluate(AXE_SOURCE)
        return self.page.evaluate(_AXE_RUN)

    def check_page(self, name: str) -> list[str]:
        """axe, no sideways scrolling, a screenshot: the problems found, prefixed by page."""
        page = self.page
        width = page.viewport_size["width"]
        label = f"{name} @{width}px"
        problems = [f"{label}: {v}" for v in self.axe_violations()]
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            problems.append(f"{label}: page scrolls sideways ({scroll_width}px wide)")
        self.screenshot(name)
        return problems

    def screenshot(self, name: str) -> Path:
        width = self.page.viewport_size["width"]
        kind = "phone" if width < 576 else "desktop"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}-{kind}.png"
        self.page.screenshot(path=path, full_page=True)
        return path
