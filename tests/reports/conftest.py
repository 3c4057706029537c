"""Fixtures for the documents: walk proposals with the after-commit work actually run.

Inside a test transaction Django never commits, so ``transaction.on_commit`` callbacks
(where documents are issued and rendered) would not run. ``django_capture_on_commit_
callbacks(execute=True)`` runs them as a real commit would, including the ones they
register themselves. Tests use the immediate task backend (the development default).
"""

import io

import pytest
from pypdf import PdfReader

from reports.models import Document
from workflow import demo


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def committing(django_capture_on_commit_callbacks):
    """Run ``fn`` and then its on-commit callbacks, as a committed transaction would."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


@pytest.fixture
def walk(actors, committing):
    """Walk ``req`` along ``path`` (transition names) with documents issued and rendered."""

    def run(req, path, people=None):
        return committing(demo.walk, req, people or actors, path)

    return run


@pytest.fixture
def submitted(actors, walk):
    """A proposal just submitted: exactly one document (its tanda terima)."""
    return walk(demo.create_draft(actors), ("submit",))


def pdf_bytes(doc: Document) -> bytes:
    with doc.file.open("rb") as handle:
        return handle.read()


def pdf_pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def pdf_text(doc: Document) -> str:
    return "\n".join(pdf_pages(pdf_bytes(doc)))


def squash(text: str) -> str:
    """Text without whitespace: hashes and long words wrap inside table cells."""
    return "".join(text.split())
