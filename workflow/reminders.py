"""Reminders of due and overdue steps, with escalation to the actor's superior."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from requests_intake.models import ApplicationRequest
from workflow.models import ReminderLog, StepVisit, User
from workflow.roles import role_holders
from workflow.states import ACTOR_OF_STATE, Role
from workflow.workdays import WorkCalendar

# Who is told when a step held by a role is overdue.
SUPERIOR = {Role.PRAKOM: Role.KASI, Role.KASI: Role.KABID, Role.KABID: Role.KADIS}


@dataclass
class Item:
    req: ApplicationRequest
    visit: StepVisit
    kind: str
    days: int  # working days left (negative when overdue)
    holder_role: str

    @property
    def overdue_days(self) -> int:
        return max(0, -self.days)


@dataclass
class Outcome:
    sent: list[tuple[User, list[Item]]] = field(default_factory=list)
    failed: list[tuple[User, str]] = field(default_factory=list)


def collect(today: datetime.date, calendar: WorkCalendar) -> dict[int, list[Item]]:
    """What each person should hear about today, keyed by user id."""
    horizon = calendar.add_working_days(today, 1)
    running = list(ApplicationRequest.objects.due_by(horizon).select_related("unit"))
    visits = {
        v.request_id: v
        for v in StepVisit.objects.filter(request__in=running, finished_at__isnull=True)
    }
    items: dict[int, list[Item]] = {}
    for req in running:
        visit = visits.get(req.pk)
        role = ACTOR_OF_STATE.get(req.state)
        if visit is None or role is None:
            continue
        days = calendar.working_days_between(today, visit.due_date)
        kind = ReminderLog.Kind.OVERDUE if days < 0 else ReminderLog.Kind.DUE_TOMORROW
        # The same holders notifications use: the post's holders and acting officials.
        for user_id in role_holders(role, req, on=today).values_list("pk", flat=True):
            items.setdefault(user_id, []).append(Item(req, visit, kind, days, role))
        superior = SUPERIOR.get(role)
        if days < 0 and superior:
            for user_id in role_holders(superior, req, on=today).values_list("pk", flat=True):
                items.setdefault(user_id, []).append(
                    Item(req, visit, ReminderLog.Kind.ESCALATION, days, role)
                )
    return items


def send_reminders(today: datetime.date | None = None) -> Outcome:
    """Send each person one e-mail with their due/overdue steps; never twice a day."""
    today = today or timezone.localdate()
    calendar = WorkCalendar.load()
    outcome = Outcome()
    collected = collect(today, calendar)
    recipients = User.objects.in_bulk(list(collected))
    for user_id, items in collected.items():
        user = recipients[user_id]
        already = set(
            ReminderLog.objects.filter(
                recipient=user, sent_on=today, visit__in=[i.visit for i in items]
            ).values_list("visit_id", "kind")
        )
        fresh = [i for i in items if (i.visit.pk, i.kind) not in already]
        if not fresh or not user.email:
            continue
        try:
            with transaction.atomic():
                for item in fresh:
                    ReminderLog.objects.create(
                        visit=item.visit, recipient=user, kind=item.kind, sent_on=today
                    )
                _send(user, fresh, today)
        except IntegrityError:
            continue  # a concurrent run recorded it first
        except Exception as exc:  # noqa: BLE001 - a mail failure must not stop the others
            outcome.failed.append((user, str(exc)))
            continue
        outcome.sent.append((user, fresh))
    return outcome


def _send(user: User, items: list[Item], today: datetime.date) -> None:
    base = getattr(settings, "SOPAPP_PUBLIC_URL", "").rstrip("/")
    context = {"user": user, "items": items, "today": today, "base_url": base}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("emails/reminder_subject.txt", context).strip()
        text = render_to_string("emails/reminder.txt", context)
        html = render_to_string("emails/reminder.html", context)
    message = EmailMultiAlternatives(subject, text, to=[user.email])
    message.attach_alternative(html, "text/html")
    message.send()
