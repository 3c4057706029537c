"""HTML to PDF with WeasyPrint: one shared font configuration, the restricted fetcher."""

import io
import threading
from dataclasses import dataclass, field

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from reports.fetcher import PDF_BASE_URL, ProjectFilesFetcher

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


def html_to_pdf(html: str) -> RenderedPdf:
    fetcher = ProjectFilesFetcher()
    with _lock:
        config = font_config()
        document = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=fetcher).render(
            font_config=config
        )
        out = io.BytesIO()
        document.write_pdf(out)
    return RenderedPdf(content=out.getvalue(), pages=len(document.pages), fetcher=fetcher)
