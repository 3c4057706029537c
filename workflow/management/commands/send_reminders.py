import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from workflow.reminders import send_reminders
from workflow.workdays import WorkCalendar


class Command(BaseCommand):
    help = (
        "E-mail each person the steps they hold that are due by the next working day or "
        "overdue, and escalate overdue steps to the superior (Prakom → Kasi → Kabid → "
        "Kepala Dinas). Safe to run often: nothing is sent twice for a step on one day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Pretend today is this date (YYYY-MM-DD).")
        parser.add_argument(
            "--any-day", action="store_true", help="Also send on weekends and holidays."
        )

    def handle(self, *args, date=None, any_day=False, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError:
            raise CommandError("--date must be YYYY-MM-DD.") from None
        if not any_day and not WorkCalendar.load().is_working_day(today):
            self.stdout.write(f"{today}: not a working day, nothing sent.")
            return
        outcome = send_reminders(today)
        for user, items in outcome.sent:
            listed = ", ".join(
                f"{i.req.registration_number or i.req.pk} ({i.kind}, {i.days:+d})" for i in items
            )
            self.stdout.write(f"sent to {user.username} <{user.email}>: {listed}")
        for user, error in outcome.failed:
            self.stderr.write(f"FAILED for {user.username}: {error}")
        self.stdout.write(
            f"{today}: {len(outcome.sent)} e-mails sent, {len(outcome.failed)} failed."
        )
        if outcome.failed:
            raise CommandError("Some reminders could not be sent; they will be retried.")
