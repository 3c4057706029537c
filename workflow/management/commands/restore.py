from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from workflow.backup import BackupError, restore_backup, verify_archive


class Command(BaseCommand):
    help = (
        "Restore a `manage.py backup` archive into an EMPTY instance (a new database after "
        "`migrate`, an empty storage location), then verify every file and the transition "
        "log by hash. With --check, only verify the archive against its manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument(
            "--check", action="store_true", help="Only verify the archive; change nothing."
        )

    def handle(self, *args, archive, check=False, **options):
        path = Path(archive)
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        try:
            manifest = verify_archive(path) if check else restore_backup(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(manifest["objects"].values())
        files = len(manifest["files"])
        verb = "verified" if check else "restored and verified by SHA-256"
        self.stdout.write(
            f"{path}: {rows} rows and {files} files {verb} (taken {manifest['created_at']})."
        )
        self.stdout.write(f"audit fingerprint {manifest['audit_fingerprint']}")
