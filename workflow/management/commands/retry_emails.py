from django.core.management.base import BaseCommand

from workflow.notifications import MAX_EMAIL_ATTEMPTS, retry_failed_emails


class Command(BaseCommand):
    help = (
        "Queue again the notification e-mails that failed (for cron, e.g. every 15 minutes); "
        f"each is tried at most {MAX_EMAIL_ATTEMPTS} times."
    )

    def handle(self, *args, **options):
        count = retry_failed_emails()
        self.stdout.write(f"{count} failed e-mails queued again.")
