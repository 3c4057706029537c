"""Telling people: who hears about a transition, what they read, and the e-mail behind it.

Notifications are written inside the transition's transaction (so they roll back with
it); their e-mails are queued as background work only after the commit, and a mail
server failure only marks the notification ``failed`` for a later retry. What a
notification says and how its e-mail is sent live in ``workflow.emails`` (the task
calls it; this module queues the task).
"""

import datetime
from functools import partial

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from workflow.emails import MAX_EMAIL_ATTEMPTS, email_lease
from workflow.models import Notification, TransitionLog
from workflow.roles import holders_condition
from workflow.states import ACTOR_OF_STATE, Role
from workflow.tasks import send_notification_email
from workflow.transitions import TRANSITIONS

# The notifications of a transition, written from the query of their recipients in one
# statement: who acts next ("act"; not the person who just acted) and, when the step tells
# the unit, the unit's people ("unit"); someone in both hears once, as the next actor.
_NOTIFY_SQL = (
    'INSERT INTO "workflow_notification" ("recipient_id", "request_id", "kind", "actor_id", '
    '"log_id", "reason", "due_date", "created_at", "email_status", "email_attempts", '
    '"email_error") SELECT h."pk", %s, %s, %s, %s, MIN(h."reason"), %s, %s, %s, 0, \'\' '
    'FROM ({holders}) h GROUP BY h."pk" RETURNING "id"'
)
_NEXT_SQL = (
    'SELECT u."id" AS "pk", \'act\' AS "reason" FROM "workflow_user" u WHERE u."id" <> %s AND '
)
_UNIT_SQL = 'SELECT u."id" AS "pk", \'unit\' AS "reason" FROM "workflow_user" u WHERE '


def notify_transition(req, log: TransitionLog) -> list[int]:
    """Create the notifications of one transition (ids); e-mails follow after commit."""
    parts, holder_params = [], []
    next_role = ACTOR_OF_STATE.get(req.state)
    if next_role is not None:
        condition, params = holders_condition(next_role, req)
        parts.append(_NEXT_SQL + condition)
        holder_params += [log.actor_id, *params]
    transition = TRANSITIONS.get(log.transition)
    if transition is not None and transition.tells_unit:
        condition, params = holders_condition(Role.PEMOHON, req)
        parts.append(_UNIT_SQL + condition)
        holder_params += params
    if not parts:
        return []
    ops = connection.ops
    params = [
        req.pk,
        Notification.Kind.TRANSITION,
        log.actor_id,
        log.pk,
        ops.adapt_datefield_value(req.due_date),
        ops.adapt_datetimefield_value(log.created_at),
        Notification.EmailStatus.PENDING,
    ]
    sql = _NOTIFY_SQL.format(holders=" UNION ALL ".join(parts))
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *holder_params])
        ids = [row[0] for row in cursor.fetchall()]
    queue_emails(ids)
    return ids


def notify_people(req, users, *, kind: str, actor, comment=None, reason: str = "") -> None:
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                request=req,
                kind=kind,
                actor=actor,
                comment=comment,
                reason=reason,
                due_date=req.due_date,
            )
            for user in users
            if user.pk != actor.pk
        ]
    )
    queue_emails([n.pk for n in notifications])


def queue_emails(ids: list[int]) -> None:
    if ids:
        transaction.on_commit(partial(enqueue_emails, ids), robust=True)


def enqueue_emails(ids: list[int]) -> None:
    for pk in ids:
        send_notification_email.enqueue(pk)


SEND_TASK = "workflow.tasks.send_notification_email"


def _queued_email_ids() -> set[int]:
    rows = DBTaskResult.objects.filter(
        task_path=SEND_TASK, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    ).values_list("args_kwargs", flat=True)
    return {row["args"][0] for row in rows if row.get("args")}


def emails_heal(*, grace: datetime.timedelta) -> int:
    """Queue the e-mails no worker will otherwise send; return how many.

    - pending for longer than ``grace`` with no task waiting (the web process died between
      its commit and queueing them);
    - being sent by a worker that outlived its lease (killed mid-send); its task row is
      closed as failed;
    - failed, with tries left, once a back-off of five minutes per try has passed (what
      ``retry_emails`` does by hand).
    Safe in several workers at once: sending claims the notification first.
    """
    now = timezone.now()
    DBTaskResult.objects.filter(
        task_path=SEND_TASK, status=TaskResultStatus.RUNNING, started_at__lt=now - email_lease()
    ).update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        exception_class_path="workflow.notifications.WorkerLost",
        traceback="The worker sending this e-mail stopped before it finished.",
    )
    candidates = Notification.objects.filter(
        Q(email_status=Notification.EmailStatus.PENDING, created_at__lt=now - grace)
        | Q(email_status=Notification.EmailStatus.SENDING, email_claimed_at__lt=now - email_lease())
        | Q(
            email_status=Notification.EmailStatus.FAILED,
            email_attempts__lt=MAX_EMAIL_ATTEMPTS,
            email_claimed_at__lt=now - datetime.timedelta(minutes=5),
        )
    ).values_list("pk", "email_status", "email_attempts", "email_claimed_at")
    waiting = _queued_email_ids()
    due = []
    for pk, status, attempts, claimed_at in candidates:
        backoff = datetime.timedelta(minutes=5 * max(attempts, 1))
        failed = status == Notification.EmailStatus.FAILED
        if failed and claimed_at is not None and claimed_at >= now - backoff:
            continue
        if pk not in waiting:
            due.append(pk)
    enqueue_emails(due)
    return len(due)


def retry_failed_emails() -> int:
    """Queue again the e-mails that failed (up to ``MAX_EMAIL_ATTEMPTS`` tries)."""
    ids = list(
        Notification.objects.filter(
            email_status__in=[Notification.EmailStatus.FAILED],
            email_attempts__lt=MAX_EMAIL_ATTEMPTS,
        ).values_list("pk", flat=True)
    )
    enqueue_emails(ids)
    return len(ids)
