"""Rendering one pending document to PDF and archiving it (what the background task runs)."""

import datetime
import hashlib
import logging
import time

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import F, Q
from django.utils import timezone

from reports.models import Document, DocumentStatus, Letterhead, RenderFailure, document_path
from reports.pdf import RenderBudgetExceeded, html_to_pdf, time_limit
from reports.render import document_html
from signing import services as signing_services

logger = logging.getLogger("reports.services")


def render_lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.SOPAPP_RENDER_LEASE)


def document_claim(document_id: int) -> datetime.datetime | None:
    """Take the render lease of a pending document; None when someone else holds it."""
    now = timezone.now()
    claimed = (
        Document.objects.filter(pk=document_id, status=DocumentStatus.PENDING)
        .filter(Q(render_started_at__isnull=True) | Q(render_started_at__lt=now - render_lease()))
        .update(render_started_at=now)
    )
    return now if claimed else None


def document_render(*, document_id: int) -> Document:
    """Render and archive a pending document, once. Anything else is returned untouched.

    The render takes a lease on the document first, so two workers never render the same
    document at once. It keeps to the budget (SOPAPP_RENDER_MAX_PAGES, and
    SOPAPP_RENDER_TIME_LIMIT where a time limit can be enforced). A failure is recorded on
    the document (status failed, its reason and error) and never raised.
    """
    claimed_at = document_claim(document_id)
    doc = Document.objects.select_related("request__unit", "log__actor", "requested_by").get(
        pk=document_id
    )
    if claimed_at is None:
        return doc
    started = time.perf_counter()
    failure = ""
    try:
        # The page is read from the database first: the time limit's alarm must never go
        # off in the middle of a query (the connection would be left unusable).
        html = document_html(doc)
        with time_limit(settings.SOPAPP_RENDER_TIME_LIMIT):
            rendered = html_to_pdf(html, max_pages=settings.SOPAPP_RENDER_MAX_PAGES)
    except RenderBudgetExceeded as exc:
        failure, error = exc.failure, str(exc)
        logger.warning("Document %s is over the rendering budget: %s", doc.pk, exc)
    except Exception as exc:
        failure, error = RenderFailure.ERROR, f"{type(exc).__name__}: {exc}"
        logger.exception("Rendering document %s failed", doc.pk)
    if failure:
        Document.objects.filter(pk=doc.pk, status=DocumentStatus.PENDING).update(
            status=DocumentStatus.FAILED,
            failure=failure,
            error=error[:2000],
            attempts=F("attempts") + 1,
        )
        return Document.objects.get(pk=doc.pk)
    seconds = time.perf_counter() - started
    storage = Document._meta.get_field("file").storage
    name = storage.save(document_path(doc, ""), ContentFile(rendered.content))
    # Conditional: if another worker archived it meanwhile, theirs stays and ours goes.
    archived = (
        Document.objects.filter(pk=doc.pk)
        .exclude(status=DocumentStatus.READY)
        .update(
            status=DocumentStatus.READY,
            file=name,
            sha256=hashlib.sha256(rendered.content).hexdigest(),
            size=len(rendered.content),
            pages=rendered.pages,
            issuer=Letterhead.load().issuer[:300],
            rendered_at=timezone.now(),
            render_seconds=round(seconds, 4),
            failure="",
            error="",
            attempts=F("attempts") + 1,
        )
    )
    if not archived:
        storage.delete(name)
    else:
        signing_services.document_rendered(doc)
    logger.info(
        "Rendered document %s in %.2f s (%s)",
        doc.pk,
        seconds,
        "archived" if archived else "dropped",
    )
    return Document.objects.get(pk=doc.pk)
