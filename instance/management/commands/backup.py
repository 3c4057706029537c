from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from instance.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Back up the database and every stored file together into one .tar.gz with a "
        "SHA-256 manifest. Restore it with `manage.py restore`."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "output",
            nargs="?",
            help="Archive to write (default: sopapp-backup-<time>.tar.gz here); never "
            "overwritten. A directory puts the default name there.",
        )

    def handle(self, *args, output=None, **options):
        default_name = f"sopapp-backup-{timezone.now():%Y%m%dT%H%M%SZ}.tar.gz"
        path = Path(output) if output else Path(default_name)
        if path.is_dir():
            path = path / default_name
        try:
            summary = create_backup(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(summary.objects.values())
        self.stdout.write(f"{summary.path}: {rows} rows, {summary.files} files.")
        self.stdout.write(f"manifest SHA-256 {summary.manifest_sha256}")
        if summary.signed:
            self.stdout.write("manifest signed with SOPAPP_BACKUP_KEY (HMAC-SHA256)")
        self.stdout.write(
            "Note the manifest SHA-256 elsewhere: `restore --expect` needs it to accept this "
            "archive."
        )
        self.stdout.write(f"audit fingerprint {summary.audit_fingerprint}")
