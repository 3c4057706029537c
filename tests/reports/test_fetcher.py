"""WeasyPrint may load the project's static files and nothing else."""

import builtins
import io
import socket

import pytest
from django.template import engines
from pypdf import PdfReader
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from reports.documents.base import common_context
from reports.fetcher import PDF_BASE_URL, ProjectFilesFetcher, RefusedURL
from reports.models import Document
from reports.pdf import html_to_pdf

OUTSIDE = [
    "http://example.com/x.png",
    "https://example.com/style.css",
    "file:///etc/passwd",
    "ftp://example.com/x.png",
    "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg'/>",
    "http://sopapp-static.invalid/static/../../sopapp/settings.py",
    "http://sopapp-static.invalid/static/%2e%2e/%2e%2e/etc/passwd",
    "http://sopapp-static.invalid/static/img/lambang-daerah.svg?x=1",
    "http://sopapp-static.invalid/etc/passwd",
    "http://127.0.0.1:8000/static/img/lambang-daerah.svg",
    "http://sopapp-static.invalid:80@example.com/static/img/lambang-daerah.svg",
]


@pytest.mark.parametrize("url", OUTSIDE)
def test_everything_outside_the_static_files_is_refused(url):
    fetcher = ProjectFilesFetcher()
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused == [url] and fetcher.served == []


def test_static_files_are_served():
    fetcher = ProjectFilesFetcher()
    response = fetcher.fetch(PDF_BASE_URL + "static/img/lambang-daerah.svg")
    assert response.content_type == "image/svg+xml"
    assert response.read().startswith(b"<svg")


@pytest.fixture
def no_outside_access(monkeypatch):
    """Record (and block) any socket connection or any read of /etc/passwd."""
    attempts = []

    def connect(self, address):
        attempts.append(("connect", address))
        raise OSError("network is not for documents")

    def create_connection(address, *args, **kwargs):
        attempts.append(("connect", address))
        raise OSError("network is not for documents")

    real_open = builtins.open

    def guarded_open(file, *args, **kwargs):
        if "passwd" in str(file):
            attempts.append(("open", str(file)))
            raise OSError("not for documents")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(io, "open", guarded_open)
    return attempts


HOSTILE = """{% extends "reports/pdf/base.html" %}
{% block content %}
<link rel="stylesheet" href="https://example.com/style.css">
<link rel="attachment" href="file:///etc/passwd">
<style>@import url("http://example.com/import.css");
.x { background: url("file:///etc/passwd"); }</style>
<p class="x">Isi dokumen tetap tercetak.</p>
<img src="http://example.com/x.png" alt="luar">
<img src="file:///etc/passwd" alt="berkas">
<object data="file:///etc/passwd"></object>
<svg width="10" height="10"><image href="http://example.com/y.png" width="10" height="10"/></svg>
{% endblock %}"""


def test_a_template_referencing_outside_urls_renders_without_fetching_them(
    submitted, no_outside_access
):
    doc = Document.objects.get()
    template = engines["django"].from_string(HOSTILE)
    html = template.render(common_context(doc, preview=False))
    rendered = html_to_pdf(html)

    assert rendered.content.startswith(b"%PDF-") and rendered.pages >= 1
    assert no_outside_access == []
    fetcher = rendered.fetcher
    assert fetcher.served == [PDF_BASE_URL + "static/img/lambang-daerah.svg"]
    for url in (
        "https://example.com/style.css",
        "http://example.com/import.css",
        "file:///etc/passwd",
        "http://example.com/x.png",
    ):
        assert url in fetcher.refused, url
    reader = PdfReader(io.BytesIO(rendered.content))
    assert reader.attachments == {}
    assert "Isi dokumen tetap tercetak." in reader.pages[0].extract_text()


def test_the_default_fetcher_would_have_embedded_a_local_file(tmp_path):
    """The control: without our fetcher WeasyPrint does read local files."""
    secret = tmp_path / "secret.txt"
    secret.write_text("rahasia")
    html = f'<link rel="attachment" href="{secret.as_uri()}"><p>x</p>'
    with_default = HTML(string=html, url_fetcher=URLFetcher()).write_pdf()
    assert "secret.txt" in PdfReader(io.BytesIO(with_default)).attachments
    with_ours = HTML(string=html, url_fetcher=ProjectFilesFetcher()).write_pdf()
    assert PdfReader(io.BytesIO(with_ours)).attachments == {}
