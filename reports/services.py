"""Writes on the document archive: issue (number + code), render once, retry, rekam jejak."""

import datetime
import logging
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from reports.documents import CHECKPOINTS, REPORT_CHECKS, applies, document_title
from reports.kinds import SPECS
from reports.models import Document, DocumentKind, DocumentStatus
from reports.numbering import allocate_number, new_code

# The render itself lives in reports.rendering, which the task runs; this module queues
# the task (services -> tasks -> rendering: no cycle). Its names stay importable here.
from reports.rendering import document_claim, document_render, render_lease  # noqa: F401
from reports.tasks import render_document
from requests_intake.models import ApplicationRequest
from workflow.models import Meeting, TransitionLog

logger = logging.getLogger(__name__)

# A pending document older than this is taken as lost by the queue and may be requeued.
STALE_PENDING = datetime.timedelta(minutes=10)
RENDER_TASK = "reports.tasks.render_document"


def heal_grace() -> datetime.timedelta:
    """How old a checkpoint or queued document must be before healing touches it: the web
    process queues right after its commit, and must not be raced."""
    return datetime.timedelta(seconds=settings.SOPAPP_DOCUMENT_HEAL_INTERVAL)


def _issue(
    *,
    req: ApplicationRequest,
    kind: str,
    log: TransitionLog | None,
    issued_at: datetime.datetime,
    requested_by=None,
    record=None,
    checked_code: bool = True,
) -> Document:
    """A new document: a letter numbered (or waiting for its number from the register), a
    working paper without a number, or the next version of a laporan round."""
    status = DocumentStatus.PENDING
    number, year, sequence = "", timezone.localtime(issued_at).year, 0
    version, first_version = 1, None
    earlier = _report_round_document(log) if kind == DocumentKind.REPORT else None
    if earlier is not None:
        # A check of the same submission: the laporan keeps its number, the sign-off page
        # fills. The archive keeps every version; each has its own verification code.
        first_version = earlier.first_version or earlier
        number, year, sequence = earlier.number, earlier.year, earlier.sequence
        version = earlier.version + 1
        if not number:
            status = DocumentStatus.AWAITING_NUMBER
    elif SPECS[kind].letter:
        number, year, sequence = allocate_number(kind=kind, when=issued_at)
        if not number:
            status = DocumentStatus.AWAITING_NUMBER
    return Document.objects.create(
        request=req,
        kind=kind,
        title=document_title(kind, log, record)[:200],
        number=number,
        year=year,
        sequence=sequence,
        version=version,
        first_version=first_version,
        status=status,
        code=new_code(checked=checked_code),
        log=log,
        requested_by=requested_by,
        issued_at=issued_at,
    )


def _report_round_document(log: TransitionLog | None) -> Document | None:
    """The newest laporan of the round a check belongs to (None at a new submission)."""
    if log is None or log.transition not in REPORT_CHECKS:
        return None
    return (
        Document.objects.filter(
            request_id=log.request_id,
            kind=DocumentKind.REPORT,
            requested_by__isnull=True,
            log_id__lt=log.pk,
        )
        .order_by("-log_id")
        .first()
    )


def number_documents(
    *, log: TransitionLog, record=None, checked_code: bool = True
) -> list[Document]:
    """Number the documents ``log``'s checkpoint issues (pending, not yet rendered).

    ``record``: its step record, if at hand. ``checked_code=False`` inside a savepoint
    whose failure the healing repairs (``reports.checkpoints.transition_taken``)."""
    return [
        _issue(
            req=log.request,
            kind=kind,
            log=log,
            issued_at=log.created_at,
            record=record,
            checked_code=checked_code,
        )
        for kind in CHECKPOINTS.get(log.transition, ())
        if applies(kind, log)
    ]


@transaction.atomic
def documents_for_transition(*, log_id: int) -> list[Document]:
    """Number the documents of a checkpoint found without them (healing, retry button).

    Idempotent: a checkpoint that already has its document gets no second one.
    """
    log = TransitionLog.objects.select_related("request").get(pk=log_id)
    # A checkpoint's documents are issued together, so any one of them means all were.
    # This also leaves alone checkpoints that earlier versions answered with other kinds.
    if Document.objects.filter(log=log, requested_by__isnull=True).exists():
        return []
    return number_documents(log=log)


def invitation_for_meeting(
    *, meeting_id: int, actor, issued_at: datetime.datetime | None = None
) -> Document:
    """The surat undangan of a scheduled (or rescheduled) meeting, numbered now.

    Not a checkpoint of a transition: the letter hangs on no log entry and counts as
    requested by whoever scheduled the meeting.
    """
    meeting = Meeting.objects.select_related("request").get(pk=meeting_id)
    return _issue(
        req=meeting.request,
        kind=DocumentKind.INVITATION,
        log=None,
        issued_at=issued_at or timezone.now(),
        requested_by=actor,
    )


class NumberRefused(Exception):
    """A number typed in from the register cannot be used (message for the form)."""


@transaction.atomic
def document_number_enter(*, actor, document_id: int, number: str) -> list[Document]:
    """Give a letter waiting for its number the number from the agency's register.

    The document is issued then: rendered with that number. For a laporan every waiting
    version of the same round takes the number. Returns the documents now queued.
    """
    number = " ".join(number.split())
    doc = Document.objects.select_for_update().get(pk=document_id)
    if doc.status != DocumentStatus.AWAITING_NUMBER:
        raise NumberRefused(_("Dokumen ini sudah bernomor."))
    if not number:
        raise NumberRefused(_("Isi nomor surat dari register."))
    root = doc.first_version_id or doc.pk
    taken = (
        Document.objects.filter(number=number)
        .exclude(Q(pk=root) | Q(first_version_id=root))
        .exists()
    )
    if taken:
        raise NumberRefused(_("Nomor %(number)s sudah dipakai dokumen lain.") % {"number": number})
    waiting = Document.objects.select_for_update().filter(
        Q(pk=root) | Q(first_version_id=root), status=DocumentStatus.AWAITING_NUMBER
    )
    ids = list(waiting.values_list("pk", flat=True))
    Document.objects.filter(pk__in=ids).update(
        number=number,
        status=DocumentStatus.PENDING,
        number_entered_by=actor,
        number_entered_at=timezone.now(),
    )
    for document_pk in ids:
        transaction.on_commit(partial(queue_render, document_pk), robust=True)
    return list(Document.objects.filter(pk__in=ids).order_by("pk"))


def queue_render(document_id: int) -> None:
    """Queue the background render; a broken queue leaves the document pending."""
    try:
        render_document.enqueue(document_id)
    except Exception:
        logger.exception("Could not queue the rendering of document %s", document_id)


def is_stuck(document: Document, now: datetime.datetime | None = None) -> bool:
    """Pending past the point where a live worker would have finished it."""
    if document.status != DocumentStatus.PENDING:
        return False
    now = now or timezone.now()
    if document.render_started_at is not None:
        return document.render_started_at < now - render_lease()
    return document.created_at < now - STALE_PENDING


def document_retry(*, document: Document) -> bool:
    """Queue a failed (or stuck pending) document again, with its number and code."""
    stuck = is_stuck(document)
    failed = Document.objects.filter(pk=document.pk, status=DocumentStatus.FAILED).update(
        status=DocumentStatus.PENDING, render_started_at=None
    )
    if not (failed or stuck):
        return False
    transaction.on_commit(partial(queue_render, document.pk), robust=True)
    return True


def checkpoints_without_documents(*, before: datetime.datetime | None = None) -> list[int]:
    """Ids of transition log rows whose checkpoint has none of its documents.

    A checkpoint's documents are issued in one transaction, so one present means all are
    (and a checkpoint an earlier version answered with other kinds is not issued again).
    """
    logs = TransitionLog.objects.filter(transition__in=list(CHECKPOINTS)).exclude(
        Exists(Document.objects.filter(log=OuterRef("pk"), requested_by=None))
    )
    if before is not None:
        logs = logs.filter(created_at__lt=before)
    return sorted(logs.values_list("pk", flat=True))


@transaction.atomic
def checkpoint_issue(*, log_id: int) -> list[Document]:
    """Issue and queue the missing documents of one checkpoint (retry button, healing)."""
    try:
        documents = documents_for_transition(log_id=log_id)
    except IntegrityError:  # issued at this moment by someone else
        return []
    for document in documents:
        transaction.on_commit(partial(queue_render, document.pk), robust=True)
    return documents


@dataclass
class HealReport:
    issued: int = 0
    requeued: int = 0
    abandoned_tasks: int = 0

    def __bool__(self) -> bool:
        return bool(self.issued or self.requeued or self.abandoned_tasks)


def _queued_render_ids(statuses) -> set[int]:
    rows = DBTaskResult.objects.filter(task_path=RENDER_TASK, status__in=statuses)
    return {
        args[0]
        for args in (row["args"] for row in rows.values_list("args_kwargs", flat=True))
        if args
    }


def documents_heal() -> HealReport:
    """Find documents that would otherwise never appear, and queue them.

    - checkpoints without their documents (issuing failed inside the transition, which went
      through without them): issued and queued;
    - pending documents no task will pick up (lost between issuing and queueing);
    - pending documents whose render outlived its lease (the worker died mid-render):
      queued again, and the dead worker's task row is marked failed.

    Run by every ``db_worker`` every SOPAPP_DOCUMENT_HEAL_INTERVAL seconds. Safe to run
    in several workers at once: issuing is idempotent and a render takes a lease.
    """
    report = HealReport()
    now = timezone.now()
    for log_id in checkpoints_without_documents(before=now - heal_grace()):
        with transaction.atomic():
            report.issued += len(checkpoint_issue(log_id=log_id))
    abandoned = DBTaskResult.objects.filter(
        task_path=RENDER_TASK, status=TaskResultStatus.RUNNING, started_at__lt=now - render_lease()
    )
    report.abandoned_tasks = abandoned.update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        exception_class_path="reports.services.WorkerLost",
        traceback="The worker running this task stopped before it finished.",
    )
    waiting = _queued_render_ids([TaskResultStatus.READY, TaskResultStatus.RUNNING])
    lost = Document.objects.filter(status=DocumentStatus.PENDING).filter(
        Q(render_started_at__isnull=True, created_at__lt=now - heal_grace())
        | Q(render_started_at__lt=now - render_lease())
    )
    for document_id in lost.values_list("pk", flat=True):
        if document_id not in waiting:
            queue_render(document_id)
            report.requeued += 1
    return report


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
