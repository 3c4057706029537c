from django.core.management.base import BaseCommand

from reports import services
from reports.documents import CHECKPOINTS
from reports.models import Document, DocumentStatus
from workflow.models import TransitionLog


class Command(BaseCommand):
    help = (
        "Repair the document archive: issue documents missing for past checkpoints "
        "(--missing), and queue failed and lost pending documents again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--missing",
            action="store_true",
            help="Also issue the documents of checkpoints that have none (e.g. older data).",
        )

    def handle(self, *args, missing: bool = False, **options):
        issued = 0
        if missing:
            logs = (
                TransitionLog.objects.filter(transition__in=list(CHECKPOINTS))
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            for log_id in logs:  # idempotent: a checkpoint with its document is skipped
                for doc in services.documents_for_transition(log_id=log_id):
                    services.queue_render(doc.pk)
                    issued += 1
        queued = 0
        for doc in Document.objects.exclude(status=DocumentStatus.READY).order_by("pk"):
            if services.document_retry(document=doc):
                queued += 1
        self.stdout.write(f"issued {issued}, queued again {queued}")
