"""Telling people: who hears about a transition, what they read, and the e-mail behind it.

Notifications are written inside the transition's transaction (so they roll back with
it); their e-mails are queued as background work only after the commit, and a mail
server failure only marks the notification ``failed`` for a later retry.
"""

import datetime
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from workflow.models import ActingAssignment, Notification, TransitionLog, User
from workflow.states import ACTOR_OF_STATE, STEP_OF_STATE, STEPS, Role

# Transitions the requesting unit is told about (SOP.md: submission, the decision,
# each presentation invitation, completion).
UNIT_TOLD = {
    "submit",
    "decide_needed",
    "decide_not_needed",
    "finish_design",
    "request_another_round",
    "finish_socialisation",
}
MAX_EMAIL_ATTEMPTS = 5


def role_holders(role: str, req, *, on=None) -> QuerySet[User]:
    """Everyone who acts in ``role`` for ``req``: the post's holders and acting officials."""
    active = User.objects.filter(is_active=True)
    if role == Role.PEMOHON:
        return active.filter(groups__name=Role.PEMOHON, unit_id=req.unit_id)
    if role == Role.PRAKOM and req.assigned_prakom_id:
        return active.filter(pk=req.assigned_prakom_id)
    day = on or timezone.localdate()
    acting = ActingAssignment.objects.filter(role=role, start_date__lte=day, end_date__gte=day)
    return active.filter(Q(groups__name=role) | Q(pk__in=acting.values("user_id"))).distinct()


def notify_transition(req, log: TransitionLog) -> list[Notification]:
    """Create the notifications of one transition; e-mails follow after commit."""
    targets: dict[int, str] = {}
    next_role = ACTOR_OF_STATE.get(req.state)
    if next_role is not None:
        for user_id in role_holders(next_role, req).values_list("pk", flat=True):
            if user_id != log.actor_id:
                targets[user_id] = "act"
    if log.transition in UNIT_TOLD:
        for user_id in role_holders(Role.PEMOHON, req).values_list("pk", flat=True):
            targets.setdefault(user_id, "unit")
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=user_id,
                request=req,
                kind=Notification.Kind.TRANSITION,
                actor_id=log.actor_id,
                log=log,
                reason=reason,
                due_date=req.due_date,
                created_at=log.created_at,
            )
            for user_id, reason in targets.items()
        ]
    )
    queue_emails([n.pk for n in notifications])
    return notifications


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
    from workflow.tasks import send_notification_email

    for pk in ids:
        send_notification_email.enqueue(pk)


def describe(n: Notification) -> dict[str, str]:
    """What happened and what the reader must do, in the active language."""
    req = n.request
    number = req.registration_number or req.app_name
    actor = str(n.actor) if n.actor else ""
    if n.kind == Notification.Kind.COMMENT or n.kind == Notification.Kind.MENTION:
        return {
            "title": _("%(actor)s menyebut Anda dalam diskusi %(number)s")
            % {"actor": actor, "number": number},
            "detail": n.comment.body[:300] if n.comment else "",
            "todo": _("Baca dan tanggapi diskusi pada halaman usulan."),
        }
    if n.kind == Notification.Kind.INVITATION:
        return _describe_invitation(n, number)
    if n.kind == Notification.Kind.ASSIGNMENT:
        return {
            "title": _("%(actor)s menugaskan Anda mengerjakan %(number)s")
            % {"actor": actor, "number": number},
            "detail": req.app_name,
            "todo": _todo(n),
        }
    log = n.log
    happened = {
        "submit": _("%(actor)s mengajukan usulan %(number)s"),
        "receive": _("%(actor)s menerima usulan %(number)s"),
        "forward_to_kabid": _("%(actor)s meneruskan usulan %(number)s kepada Kabid"),
        "forward_to_kadis": _("%(actor)s menyampaikan usulan %(number)s kepada Kepala Dinas"),
        "decide_needed": _("Kepala Dinas memutuskan usulan %(number)s PERLU dibuat"),
        "decide_not_needed": _("Kepala Dinas memutuskan usulan %(number)s TIDAK PERLU"),
        "finish_design": _("Rancangan sistem %(number)s siap dipresentasikan kepada pengguna"),
        "record_presentation": _("Presentasi rancangan %(number)s kepada pengguna dicatat"),
        "accept_review": _("Rancangan %(number)s diterima pengguna"),
        "request_another_round": _("Pengguna meminta presentasi ulang rancangan %(number)s"),
        "submit_report": _("%(actor)s menyerahkan buku manual dan laporan %(number)s"),
        "kasi_accept": _("%(actor)s menerima laporan %(number)s"),
        "kabid_accept": _("%(actor)s menerima laporan %(number)s"),
        "kadis_accept": _("%(actor)s menerima laporan %(number)s"),
        "kasi_return": _("%(actor)s mengembalikan laporan %(number)s untuk diperbaiki"),
        "kabid_return": _("%(actor)s mengembalikan laporan %(number)s untuk diperbaiki"),
        "kadis_return": _("%(actor)s mengembalikan laporan %(number)s untuk diperbaiki"),
        "finish_socialisation": _("Sosialisasi %(number)s selesai; usulan selesai"),
        "kasi_return_to_unit": _("%(actor)s mengembalikan usulan %(number)s untuk dilengkapi"),
        "kabid_return_to_unit": _("%(actor)s mengembalikan usulan %(number)s untuk dilengkapi"),
        "kabid_return_to_kasi": _("%(actor)s mengembalikan usulan %(number)s kepada Kasi"),
        "resubmit": _("%(actor)s mengajukan kembali usulan %(number)s yang telah dilengkapi"),
        "request_agreement": _("Prakom meminta persetujuan rancangan %(number)s"),
        "unit_agree": _("%(actor)s menyetujui rancangan %(number)s"),
        "unit_request_changes": _("%(actor)s meminta perbaikan rancangan %(number)s"),
    }.get(log.transition if log else "", _("Usulan %(number)s diperbarui"))
    return {
        "title": happened % {"actor": actor, "number": number},
        "detail": log.note if log else "",
        "todo": _todo(n) if n.reason == "act" else _unit_message(n),
    }


def _describe_invitation(n: Notification, number: str) -> dict[str, str]:
    """An invitation to a presentation or socialisation: when, where, and to confirm."""
    from workflow.models import Meeting

    meeting = (
        Meeting.objects.filter(request=n.request, created_at__lte=n.created_at)
        .order_by("-created_at", "-pk")
        .first()
    )
    if meeting is None:
        return {"title": _("Undangan %(number)s") % {"number": number}, "detail": "", "todo": ""}
    where = ", ".join(filter(None, [meeting.place, meeting.online_link]))
    return {
        "title": _("Undangan %(kind)s %(number)s")
        % {
            "kind": meeting.get_kind_display().lower(),
            "number": number,
        },
        "detail": _("%(date)s pukul %(time)s, %(where)s")
        % {"date": _format_date(meeting.date), "time": f"{meeting.time:%H.%M}", "where": where},
        "todo": _("Konfirmasi kehadiran Anda pada halaman usulan."),
    }


def _todo(n: Notification) -> str:
    step = (
        STEP_OF_STATE.get(n.request.state) if n.log is None else STEP_OF_STATE.get(n.log.to_state)
    )
    if step is None:
        return ""
    activity = STEPS[step - 1].activity
    if n.due_date:
        return _("Tindakan Anda: %(activity)s, paling lambat %(due)s.") % {
            "activity": activity,
            "due": _format_date(n.due_date),
        }
    return _("Tindakan Anda: %(activity)s.") % {"activity": activity}


def _unit_message(n: Notification) -> str:
    transition = n.log.transition if n.log else ""
    return {
        "submit": _("Usulan Anda tercatat dan diteruskan kepada Kasi untuk dipelajari."),
        "decide_needed": _("Staf Pranata Komputer akan merancang aplikasi bersama Anda."),
        "decide_not_needed": _("Usulan ditutup. Alasan tercantum di atas."),
        "finish_design": _(
            "Staf Pranata Komputer akan menghubungi Anda untuk jadwal presentasi rancangan."
        ),
        "request_another_round": _("Staf Pranata Komputer akan menjadwalkan presentasi ulang."),
        "finish_socialisation": _("Aplikasi telah disosialisasikan dan siap digunakan."),
        "kasi_return_to_unit": _("Lengkapi usulan sesuai catatan di atas, lalu ajukan kembali."),
        "kabid_return_to_unit": _("Lengkapi usulan sesuai catatan di atas, lalu ajukan kembali."),
    }.get(transition, "")


def _format_date(day) -> str:
    from django.utils.formats import date_format

    return date_format(day, "j F Y")


def email_lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.SOPAPP_EMAIL_LEASE)


def _claim_email(notification_id: int, now: datetime.datetime) -> bool:
    """Take the e-mail for this worker; False when it is sent or another worker holds it.

    Several workers (on several machines) may hold a task for the same notification (a
    retry, a requeue after a lost worker): the conditional UPDATE lets exactly one send.
    """
    claimable = Q(
        email_status__in=[Notification.EmailStatus.PENDING, Notification.EmailStatus.FAILED]
    ) | Q(email_status=Notification.EmailStatus.SENDING, email_claimed_at__lt=now - email_lease())
    return bool(
        Notification.objects.filter(claimable, pk=notification_id).update(
            email_status=Notification.EmailStatus.SENDING, email_claimed_at=now
        )
    )


def send_email(notification_id: int) -> str:
    """Send one notification's e-mail; record the outcome instead of raising.

    At most one worker sends at a time; a worker killed after the mail left but before it
    was marked sent means the mail goes again after the lease (at least once, never lost).
    """
    n = (
        Notification.objects.select_related(
            "recipient", "request", "request__unit", "actor", "log", "comment"
        )
        .filter(pk=notification_id)
        .first()
    )
    if n is None or n.email_status == Notification.EmailStatus.SENT:
        return "gone"
    user = n.recipient
    if not user.email or not user.email_notifications or not user.is_active:
        Notification.objects.filter(pk=n.pk).update(email_status=Notification.EmailStatus.SKIPPED)
        return "skipped"
    if not _claim_email(n.pk, timezone.now()):
        return "taken"
    base = getattr(settings, "SOPAPP_PUBLIC_URL", "").rstrip("/")
    with translation.override(settings.LANGUAGE_CODE):
        text = describe(n)
        context = {"n": n, "text": text, "url": base + n.request.get_absolute_url(), "user": user}
        subject = f"[SOP Aplikasi] {text['title']}"[:200]
        body = render_to_string("emails/notification.txt", context)
        html = render_to_string("emails/notification.html", context)
    message = EmailMultiAlternatives(subject, body, to=[user.email])
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception as exc:  # noqa: BLE001 - any mail failure is recorded for a retry
        Notification.objects.filter(pk=n.pk).update(
            email_status=Notification.EmailStatus.FAILED,
            email_attempts=n.email_attempts + 1,
            email_error=f"{type(exc).__name__}: {exc}"[:500],
        )
        return "failed"
    Notification.objects.filter(pk=n.pk).update(
        email_status=Notification.EmailStatus.SENT,
        email_attempts=n.email_attempts + 1,
        email_error="",
        emailed_at=timezone.now(),
    )
    return "sent"


SEND_TASK = "workflow.tasks.send_notification_email"


def _queued_email_ids() -> set[int]:
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

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
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

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
        if status == Notification.EmailStatus.FAILED and claimed_at >= now - backoff:
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
