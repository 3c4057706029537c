"""The hook between the workflow and the documents.

``workflow.services._take`` calls ``transition_committed(log)`` right after it writes a
TransitionLog row. Nothing happens inside the transition's transaction: once it commits,
the checkpoint's documents are numbered and queued for rendering. Any failure here is
logged and leaves the transition as it is (``manage.py render_documents`` repairs).
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


def transition_committed(log) -> None:
    try:
        if log.transition in CHECKPOINTS:
            transaction.on_commit(partial(issue_checkpoint_documents, log.pk), robust=True)
    except Exception:  # a document must never cost the transition
        logger.exception("Could not schedule the documents of transition %s", log.pk)


def issue_checkpoint_documents(log_id: int) -> list[int]:
    try:
        documents = services.documents_for_transition(log_id=log_id)
    except Exception:
        logger.exception("Could not issue the documents of transition %s", log_id)
        return []
    for document in documents:
        services.queue_render(document.pk)
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
