"""The hook between the workflow and the documents.

``workflow.services._take`` calls ``transition_taken(log, record)`` right after it writes a
TransitionLog row: the checkpoint's documents are numbered in the transition's own
transaction (the proposal row is locked already; a letter's counter row stays locked until
it commits), and queued for rendering once it commits. Issuing runs in a savepoint: a
failure is logged and leaves the transition as it is (the worker's healing, or
``manage.py render_documents``, issues them later).
"""

import datetime
import logging
from functools import partial

from django.db import transaction
from django.utils import timezone

from reports import services
from reports.documents import CHECKPOINTS
from workflow.models import User

logger = logging.getLogger(__name__)


def transition_taken(log, record=None) -> list[int]:
    """Issue the documents of ``log``'s checkpoint now; render them after commit.

    ``record`` is the step record written with ``log`` (its documents' titles read it).
    """
    if log.transition not in CHECKPOINTS:
        return []
    try:
        with transaction.atomic():
            documents = services.number_documents(log=log, record=record, checked_code=False)
    except Exception:  # a document must never cost the transition
        logger.exception("Could not issue the documents of transition %s", log.pk)
        return []
    for document in documents:
        transaction.on_commit(partial(services.queue_render, document.pk), robust=True)
    return [document.pk for document in documents]


def meeting_scheduled(meeting, actor) -> None:
    """A presentation or socialisation was scheduled: its surat undangan, after commit."""
    try:
        scheduled_at = timezone.now()  # the letter's date: it reads the meeting as of then
        transaction.on_commit(
            partial(issue_meeting_invitation, meeting.pk, actor.pk, scheduled_at), robust=True
        )
    except Exception:  # a document must never cost the scheduling
        logger.exception("Could not schedule the invitation of meeting %s", meeting.pk)


def issue_meeting_invitation(
    meeting_id: int, actor_id: int, scheduled_at: datetime.datetime
) -> int | None:
    try:
        actor = User.objects.get(pk=actor_id)
        document = services.invitation_for_meeting(
            meeting_id=meeting_id, actor=actor, issued_at=scheduled_at
        )
    except Exception:
        logger.exception("Could not issue the invitation of meeting %s", meeting_id)
        return None
    services.queue_render(document.pk)
    return document.pk
