"""Writes on the document archive: issue (number + code), render once, retry, rekam jejak."""

import datetime
import hashlib
import logging
import time
from functools import partial

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from reports.documents import CHECKPOINTS, MODULES
from reports.models import Document, DocumentKind, DocumentStatus, Letterhead, document_path
from reports.numbering import allocate_number, new_code
from reports.pdf import html_to_pdf
from reports.render import document_html
from requests_intake.models import ApplicationRequest
from workflow.models import TransitionLog

logger = logging.getLogger(__name__)

# A pending document older than this is taken as lost by the queue and may be requeued.
STALE_PENDING = datetime.timedelta(minutes=10)


def _issue(
    *,
    req: ApplicationRequest,
    kind: str,
    log: TransitionLog | None,
    issued_at: datetime.datetime,
    requested_by=None,
) -> Document:
    number, year, sequence = allocate_number(kind=kind, when=issued_at)
    return Document.objects.create(
        request=req,
        kind=kind,
        title=MODULES[kind].title(log)[:200],
        number=number,
        year=year,
        sequence=sequence,
        code=new_code(),
        log=log,
        requested_by=requested_by,
        issued_at=issued_at,
    )


@transaction.atomic
def documents_for_transition(*, log_id: int) -> list[Document]:
    """Number the documents a transition's checkpoint issues (pending, not yet rendered).

    Idempotent: a checkpoint that already has its document gets no second one.
    """
    log = TransitionLog.objects.select_related("request").get(pk=log_id)
    issued = []
    for kind in CHECKPOINTS.get(log.transition, ()):
        if Document.objects.filter(log=log, kind=kind, requested_by__isnull=True).exists():
            continue
        issued.append(_issue(req=log.request, kind=kind, log=log, issued_at=log.created_at))
    return issued


def queue_render(document_id: int) -> None:
    """Queue the background render; a broken queue leaves the document pending."""
    from reports.tasks import render_document

    try:
        render_document.enqueue(document_id)
    except Exception:
        logger.exception("Could not queue the rendering of document %s", document_id)


def document_render(*, document_id: int) -> Document:
    """Render and archive a document, once. An archived document is returned untouched.

    A failure is recorded on the document (status failed, error) and never raised.
    """
    doc = Document.objects.select_related("request__unit", "log__actor", "requested_by").get(
        pk=document_id
    )
    if doc.is_ready:
        return doc
    started = time.perf_counter()
    try:
        rendered = html_to_pdf(document_html(doc))
    except Exception as exc:
        logger.exception("Rendering document %s failed", doc.pk)
        Document.objects.filter(pk=doc.pk).exclude(status=DocumentStatus.READY).update(
            status=DocumentStatus.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
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
            error="",
            attempts=F("attempts") + 1,
        )
    )
    if not archived:
        storage.delete(name)
    return Document.objects.get(pk=doc.pk)


def document_retry(*, document: Document) -> bool:
    """Queue a failed (or lost pending) document again, with its number and code."""
    lost = document.status == DocumentStatus.PENDING and (
        document.created_at < timezone.now() - STALE_PENDING
    )
    failed = Document.objects.filter(pk=document.pk, status=DocumentStatus.FAILED).update(
        status=DocumentStatus.PENDING
    )
    if not (failed or lost):
        return False
    transaction.on_commit(partial(queue_render, document.pk), robust=True)
    return True


@transaction.atomic
def record_request(*, actor, req: ApplicationRequest) -> Document:
    """Issue a rekam jejak of ``req`` as it stands now (a new archived document each time).

    While the same person's previous request is still being rendered, that one is returned.
    """
    pending = Document.objects.filter(
        request=req,
        kind=DocumentKind.RECORD,
        requested_by=actor,
        status=DocumentStatus.PENDING,
        created_at__gte=timezone.now() - STALE_PENDING,
    ).first()
    if pending is not None:
        return pending
    log = TransitionLog.objects.filter(request=req).order_by("-pk").first()
    doc = _issue(
        req=req, kind=DocumentKind.RECORD, log=log, issued_at=timezone.now(), requested_by=actor
    )
    transaction.on_commit(partial(queue_render, doc.pk), robust=True)
    return doc
