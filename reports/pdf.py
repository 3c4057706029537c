"""HTML to PDF with WeasyPrint: one shared font configuration, the restricted fetcher."""

import io
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from reports.fetcher import PDF_BASE_URL, ProjectFilesFetcher
from reports.models import RenderFailure

_font_config: FontConfiguration | None = None
# Renders share the font configuration; in a threaded web server (immediate task
# backend) one at a time keeps it safe. The background worker renders serially anyway.
_lock = threading.Lock()


def font_config() -> FontConfiguration:
    global _font_config
    if _font_config is None:
        _font_config = FontConfiguration()
    return _font_config


@dataclass
class RenderedPdf:
    content: bytes
    pages: int
    fetcher: ProjectFilesFetcher = field(repr=False)


class RenderBudgetExceeded(Exception):
    """The document needs more pages or time than a render may take."""

    def __init__(self, failure: RenderFailure, detail: str) -> None:
        super().__init__(detail)
        self.failure = failure


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Stop the code inside after ``seconds`` with RenderBudgetExceeded.

    Works through SIGALRM, so only in a process's main thread (the task worker, a
    command); elsewhere (a threaded web server) the page limit alone bounds a render.
    """
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise RenderBudgetExceeded(RenderFailure.TOO_SLOW, f"rendering took over {seconds} s")

    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    # The alarm can go off inside library code that catches every exception (WeasyPrint
    # does around fetching and fonts): the render then finishes, late. Late is still over.
    if time.monotonic() - started > seconds:
        expire(signal.SIGALRM, None)


def html_to_pdf(html: str, *, max_pages: int | None = None) -> RenderedPdf:
    fetcher = ProjectFilesFetcher()
    with _lock:
        config = font_config()
        document = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=fetcher).render(
            font_config=config
        )
        if max_pages is not None and len(document.pages) > max_pages:
            # Laid out but not written: writing is the other half of the cost.
            raise RenderBudgetExceeded(
                RenderFailure.TOO_MANY_PAGES,
                f"{len(document.pages)} pages, more than the limit of {max_pages}",
            )
        out = io.BytesIO()
        document.write_pdf(out)
    return RenderedPdf(content=out.getvalue(), pages=len(document.pages), fetcher=fetcher)
