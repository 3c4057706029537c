from django.core.management.base import BaseCommand, CommandError

from workflow.audit import verify


class Command(BaseCommand):
    help = (
        "Verify the tamper-evident transition log: every row's hash, the chain of each "
        "proposal, and that each chain ends where its proposal stands. Reports every row "
        "changed or removed and exits non-zero if there is any. Re-reads every stored file "
        "(attachments, archived documents) against its SHA-256. Prints a fingerprint of all "
        "chain heads to record elsewhere."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "request_ids", nargs="*", type=int, help="Only these proposals (database ids)."
        )
        parser.add_argument(
            "--skip-files",
            action="store_true",
            help="Do not re-read stored files (faster; the rows and chains are still checked).",
        )

    def handle(self, *args, request_ids=None, skip_files=False, **options):
        report = verify(request_ids or None, files=not skip_files)
        for problem in report.problems:
            self.stderr.write(f"TAMPERED {problem}")
        summary = f"{report.rows} log rows of {report.proposals} proposals checked"
        if report.problems:
            raise CommandError(f"{summary}: {len(report.problems)} problem(s) found.")
        self.stdout.write(f"{summary}: intact.")
        self.stdout.write(f"fingerprint {report.fingerprint}")
