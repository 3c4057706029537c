"""``manage.py db_worker``: django-tasks-db's worker, which also keeps the documents complete.

This command takes the place of django-tasks-db's own (``reports`` is listed before
``django_tasks_db`` in INSTALLED_APPS, as ``staticfiles`` does with ``runserver``). Besides
running queued tasks, each worker process looks every SOPAPP_DOCUMENT_HEAL_INTERVAL seconds
for documents that would otherwise never appear (``reports.services.documents_heal``) and
for notification e-mails that would otherwise never be sent (``workflow.notifications.
emails_heal``: never queued, lost with a killed worker, or failed with tries left), and
queues them, so nothing has to be scheduled with cron. The look runs in a thread of its own,
so it goes on while the worker renders a long document.
"""

import logging
import os
import threading

from django.conf import settings
from django.db import connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from reports import services
from workflow import notifications

logger = logging.getLogger("reports.healing")


def heal_forever(interval: float, stop: threading.Event) -> None:
    """Heal now, then every ``interval`` seconds until ``stop`` is set."""
    while True:
        try:
            report = services.documents_heal()
            if report:
                logger.warning(
                    "Documents healed: %d issued, %d queued again, %d abandoned tasks closed",
                    report.issued,
                    report.requeued,
                    report.abandoned_tasks,
                )
        except Exception:  # the next round tries again; the worker must keep running
            logger.exception("Looking for missing documents failed")
        try:
            emails = notifications.emails_heal(grace=services.heal_grace())
            if emails:
                logger.warning("E-mails queued again: %d", emails)
        except Exception:
            logger.exception("Looking for unsent e-mails failed")
        finally:
            connections.close_all()
        if stop.wait(interval):
            return


class Command(DatabaseWorkerCommand):
    help = (
        "Run the background worker (documents, e-mail) and requeue documents that are "
        "missing, lost or stuck and e-mails that were never sent."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--heal-interval",
            type=float,
            default=settings.SOPAPP_DOCUMENT_HEAL_INTERVAL,
            help="Seconds between looks for missing or stuck documents (default: "
            "SOPAPP_DOCUMENT_HEAL_INTERVAL, %(default)s).",
        )
        parser.add_argument(
            "--no-heal", action="store_true", help="Only run tasks; do not look for documents."
        )

    def handle(self, *args, heal_interval: float, no_heal: bool, **options):  # type: ignore[override]  # extra options
        # With --reload the parent process only watches files; the child runs the tasks.
        runs_tasks = not options["reload"] or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true"
        if runs_tasks and not no_heal and not options["batch"]:
            stop = threading.Event()
            threading.Thread(
                target=heal_forever, args=(heal_interval, stop), name="heal", daemon=True
            ).start()
        return super().handle(*args, **options)
