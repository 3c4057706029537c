"""The only way WeasyPrint may load a resource: the project's own static files.

Document templates use ``{% static %}`` URLs; the renderer resolves them against
``PDF_BASE_URL``, a host under the reserved ``.invalid`` domain that no network can
reach. This fetcher maps that host's ``STATIC_URL`` paths to files found by Django's
static-file finders, plus the one path of the administrator's letterhead logo, and
refuses everything else — ``file://``, ``http(s)://`` elsewhere, ``data:``, ``ftp:`` —
without opening a socket or a file.
"""

import logging
import mimetypes
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from weasyprint.urls import URLFetcher, URLFetcherResponse

from reports.models import Letterhead

logger = logging.getLogger(__name__)

PDF_HOST = "sopapp-static.invalid"
PDF_BASE_URL = f"http://{PDF_HOST}/"

# What a document may embed: images, stylesheets, fonts.
ALLOWED_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".svg", ".css", ".ttf", ".otf", ".woff2"})


class RefusedURL(ValueError):
    """WeasyPrint logs this and renders the document without the resource."""


def _static_prefix() -> str:
    return "/" + urlsplit(settings.STATIC_URL).path.strip("/") + "/"


def find_static(relative: str) -> Path | None:
    """A static file by its path under STATIC_URL, never outside the static roots."""
    parts = PurePosixPath(relative).parts
    if not parts or any(p in ("..", ".") or p.startswith("/") or "\\" in p for p in parts):
        return None
    if PurePosixPath(relative).suffix.lower() not in ALLOWED_SUFFIXES:
        return None
    found = finders.find(relative)
    if found:
        return Path(found)
    root = Path(settings.STATIC_ROOT)
    candidate = (root / relative).resolve()
    if candidate.is_file() and candidate.is_relative_to(root.resolve()):
        return candidate
    return None


class ProjectFilesFetcher(URLFetcher):
    """A WeasyPrint URL fetcher restricted to the project's own files (see module doc)."""

    def __init__(self) -> None:
        # No protocol allowed for the parent class: even a stray call to the default
        # fetching code cannot reach the network or the file system.
        super().__init__(allowed_protocols=(), allow_redirects=False, timeout=1)
        self.served: list[str] = []
        self.refused: list[str] = []

    def refuse(self, url: str):
        self.refused.append(url)
        logger.info("Document renderer refused %s", url[:200])
        raise RefusedURL(f"Refused: {url[:200]}")

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        try:
            parts = urlsplit(url)
        except ValueError:
            self.refuse(url)
        if parts.scheme != "http" or parts.netloc != PDF_HOST or parts.query:
            self.refuse(url)
        path = unquote(parts.path)
        body: bytes | None = None
        if path.startswith(_static_prefix()):
            found = find_static(path[len(_static_prefix()) :])
            if found is not None:
                body = found.read_bytes()
        elif path == reverse("reports:letterhead_logo"):
            body = _letterhead_logo()
        if body is None:
            self.refuse(url)
        self.served.append(url)
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})


def _letterhead_logo() -> bytes | None:
    letterhead = Letterhead.load()
    if not letterhead.logo:
        return None
    try:
        with letterhead.logo.open("rb") as handle:
            return handle.read()
    except OSError:
        return None
