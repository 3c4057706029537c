"""Validate the signatures of every archived signed document (exit status 1 on a problem)."""

import hashlib

from django.core.management.base import BaseCommand, CommandError

from signing.models import SignatureRequest, SignatureStatus
from signing.validation import NotAPdf, validate_pdf


class Command(BaseCommand):
    help = "Validate the electronic signatures of every archived signed document."

    def handle(self, *args, **options) -> None:
        latest: dict[int, SignatureRequest] = {}
        for row in (
            SignatureRequest.objects.filter(status=SignatureStatus.SIGNED)
            .select_related("document")
            .order_by("document_id", "order")
        ):
            latest[row.document_id] = row
        problems = 0
        for row in latest.values():
            doc = row.document
            try:
                with row.file.open("rb") as handle:
                    data = handle.read()
            except OSError:
                self.stdout.write(f"MISSING {doc.number}: {row.file.name}")
                problems += 1
                continue
            if hashlib.sha256(data).hexdigest() != row.sha256:
                self.stdout.write(f"CHANGED {doc.number}: the file does not match its SHA-256")
                problems += 1
                continue
            try:
                reports = validate_pdf(data)
            except NotAPdf:
                self.stdout.write(f"UNREADABLE {doc.number}")
                problems += 1
                continue
            signed = SignatureRequest.objects.filter(
                document=doc, status=SignatureStatus.SIGNED
            ).count()
            bad = [r for r in reports if not r.ok]
            if bad or len(reports) != signed:
                problems += 1
                details = "; ".join(
                    f"{r.signer or '?'}: intact={r.intact} unmodified={r.unmodified} "
                    f"trusted={r.trusted} revoked={r.revoked}"
                    for r in bad
                )
                self.stdout.write(
                    f"INVALID {doc.number}: {len(reports)} signature(s), "
                    f"{signed} expected. {details}"
                )
            else:
                self.stdout.write(f"OK {doc.number}: {len(reports)} signature(s)")
        self.stdout.write(f"{len(latest)} signed document(s), {problems} with problems.")
        if problems:
            raise CommandError(f"{problems} signed document(s) failed validation.")
