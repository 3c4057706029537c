"""What a notification says, and sending its e-mail (run by ``workflow.tasks``)."""

import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from workflow.models import Meeting, Notification
from workflow.states import STEP_OF_STATE, STEPS
from workflow.transitions import TRANSITIONS

MAX_EMAIL_ATTEMPTS = 5


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
    transition = TRANSITIONS.get(log.transition) if log else None
    happened = transition.happened if transition else _("Usulan %(number)s diperbarui")
    return {
        "title": happened % {"actor": actor, "number": number},
        "detail": log.note if log else "",
        "todo": _todo(n) if n.reason == "act" else _unit_message(n),
    }


def _describe_invitation(n: Notification, number: str) -> dict[str, str]:
    """An invitation to a presentation or socialisation: when, where, and to confirm."""
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
        % {"kind": meeting.get_kind_display().lower(), "number": number},
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
    transition = TRANSITIONS.get(n.log.transition) if n.log else None
    return str(transition.unit_message) if transition else ""


def _format_date(day) -> str:
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
