"""Crawl the site as a person would, following links, and check every page found with axe.

Each kind of page of the site (not the admin) also leaves a screenshot at both widths in
``test-artifacts/screenshots/crawl-*``.

The crawl is generative: a page added tomorrow is checked the day a link leads to it. To keep
it quick, pages are grouped by what makes them differ: the URL with numbers replaced, whether
it is filtered (one filtered, sorted or later page per list), for a proposal page the
proposal's state and the action forms it offers, for other pages of the site the forms and
tables a person is shown (an empty inbox differs from a full one), and in the admin the model
(history and delete confirmations are one page for all models). Only the first page of each
group is checked. Links that log out,
download a file, change something (those are forms, never followed) or leave the site are
skipped; forms are submitted only where a test asks for a state explicitly.
"""

import re
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urldefrag, urlsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from tests.e2e.ui import AXE_SOURCE, DESKTOP, PHONE, UI

# Links that are not pages: downloads, exports, files, the document stylesheet, logout.
SKIP = re.compile(
    r"/(keluar|logout)/"
    r"|/unduh/|/dokumen/\d+/$|/lampiran/|/pratinjau/|/buat-ulang/|/kop-surat/logo/"
    r"|\.(css|js|pdf|csv|xlsx|docx|png|jpe?g|svg)$"
    r"|^/i18n/|^/static/|^/admin/jsi18n/|^/admin/r/|^/health/"
)
NUMBER = re.compile(r"\d+")
PROPOSAL = re.compile(r"^/usulan/(\d+)/$")
ADMIN_GENERIC = re.compile(r"^/admin/\w+/\w+/N/(history|delete)/$")

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => `${v.impact} ${v.id} (${v.nodes.length}): ${v.help} — ` +
      v.nodes.slice(0, 4).map(n => n.target.join(" ")).join(" | "));
}"""
LINKS = """() => Array.from(document.querySelectorAll("a[href]"))
  .map(a => a.href).filter(h => h.startsWith(location.origin))"""
SHAPE = """() => JSON.stringify([
  Array.from(document.querySelectorAll("main form")).map(f =>
    (f.getAttribute("action") || "").replace(/\\d+/g, "N") + ":" +
    Array.from(f.elements).map(e => e.name).filter(Boolean).sort().join(",")),
  Array.from(document.querySelectorAll("main table")).map(t => t.tBodies.length &&
    t.tBodies[0].rows.length > 0),
])"""
ACTION_FORMS = """() => Array.from(document.querySelectorAll("form[aria-labelledby^='action-']"))
  .map(f => f.getAttribute("aria-labelledby")).sort().join(",")"""


@dataclass
class Crawl:
    """One crawl over several people; pages already checked are not checked again."""

    ui: UI
    states: dict[int, str]  # proposal id -> the state that tells its page apart
    seen: set = field(default_factory=set)  # kinds of page checked
    loaded: set = field(default_factory=set)  # kinds of page each person has opened
    problems: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    loads: int = 0
    loads_by: dict[str, int] = field(default_factory=dict)
    timings: list[tuple[float, str]] = field(default_factory=list)

    @property
    def page(self) -> Page:
        return self.ui.page

    def group(self, path: str, query: str) -> tuple:
        """What tells this page apart from others of its kind (before loading it)."""
        # A filtered, sorted or later page of a list is checked once, whatever the filter;
        # the admin's memory of the list's filter does not change the page it is kept on.
        names = {name for name, _ in parse_qsl(query, keep_blank_values=True)}
        filtered = bool(names - {"_changelist_filters"})
        match = PROPOSAL.match(path)
        if match:
            return ("proposal", self.states.get(int(match.group(1)), "?"), filtered)
        pattern = NUMBER.sub("N", path)
        if path.startswith("/admin/"):
            if "_popup" in names:
                return ("admin pop-up",)
            # History and delete confirmations are the same page for every model.
            generic = ADMIN_GENERIC.match(pattern)
            return (generic.group(1),) if generic else (pattern, filtered)
        return (pattern, filtered)

    def shape(self) -> str:
        """What a person's own copy of a page changes: its forms, its tables, empty or not."""
        return self.page.evaluate(SHAPE)

    def check(self, name: str, *, expect_status: int | None = None) -> None:
        """axe at desktop and phone width on the page now open; no sideways scrolling."""
        began = time.monotonic()
        admin = urlsplit(self.page.url).path.startswith("/admin/")
        for viewport in (DESKTOP, PHONE):
            self.page.set_viewport_size(viewport)
            label = f"{name} @{viewport['width']}px"
            if not self.page.evaluate("() => typeof window.axe !== 'undefined'"):
                self.page.evaluate(AXE_SOURCE)
            for violation in self.page.evaluate(AXE_RUN, WCAG_TAGS):
                self.problems.append(f"{label}: {violation}")
                print(f"    {label}: {violation}", flush=True)
            width = self.page.evaluate("document.documentElement.scrollWidth")
            if width > viewport["width"]:
                self.problems.append(f"{label}: page scrolls sideways ({width}px wide)")
            if not admin:  # what each kind of page looks like, for people to look at
                self.ui.screenshot("crawl-" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-"))
        self.page.set_viewport_size(DESKTOP)
        self.checked.append(name)
        self.timings.append((time.monotonic() - began, name))
        print(f"  checked {name} in {self.timings[-1][0]:.1f} s", flush=True)
        if admin:
            # Django's own admin templates carry a few style attributes that the strict
            # Content-Security-Policy blocks (cosmetic only); they are not ours to rewrite.
            self.ui.console_errors[:] = [
                e for e in self.ui.console_errors if "Content Security Policy" not in e
            ]
        if expect_status is not None:
            # The browser reports an error status as a console error; here it is expected.
            self.ui.console_errors[:] = [
                e for e in self.ui.console_errors if f"status of {expect_status}" not in e
            ]

    def visit(self, name: str, url: str) -> None:
        """Open one page of an explicit state and check it, whatever was checked before."""
        response = self.page.goto(url)
        self.loads += 1
        status = response.status if response else 0
        self.check(name, expect_status=status if status >= 400 else None)

    def crawl(self, person: str, start: list[str], *, limit: int = 400) -> None:
        """Follow same-site links breadth-first from ``start``, checking each new kind of page.

        A person loads each kind of page once (so their own links are followed); the page is
        checked only when no one has had a page of the same kind and shape checked before.
        """
        queue = list(start)
        queued = set(queue)
        while queue and self.loads < limit:
            url = queue.pop(0)
            parts = urlsplit(url)
            mine = (*self.group(parts.path, parts.query), person)
            if mine in self.loaded:
                continue
            self.loaded.add(mine)
            try:
                response = self.page.goto(url)
            except PlaywrightError as error:
                if "Download is starting" not in str(error):
                    raise
                continue  # a file, not a page
            self.loads += 1
            self.loads_by[person] = self.loads_by.get(person, 0) + 1
            content_type = (response.headers.get("content-type", "") if response else "") or ""
            if not content_type.startswith("text/html"):
                continue
            final = urlsplit(self.page.url)
            key = self.group(final.path, final.query)
            if final.path != parts.path:  # redirected: count it as where it landed
                if (*key, person) in self.loaded:
                    continue
                self.loaded.add((*key, person))
            # A proposal page also differs by the action forms this person is offered; a
            # person's inbox, list or notifications by the forms and rows they show.
            if key[0] == "proposal":
                key = (*key, self.page.evaluate(ACTION_FORMS))
            elif not final.path.startswith("/admin/"):
                key = (*key, self.shape())
            if key not in self.seen:
                self.seen.add(key)
                status = response.status if response else 0
                self.check(
                    f"{person} {final.path}{'?' + final.query if final.query else ''}",
                    expect_status=status if status >= 400 else None,
                )
            for href in self.page.evaluate(LINKS):
                href = urldefrag(href).url
                target = urlsplit(href)
                if SKIP.search(target.path) or href in queued:
                    continue
                queued.add(href)
                queue.append(href)
