from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from instance.backup import BackupError, manifest_sha256, restore_backup, verify_archive


class Command(BaseCommand):
    help = (
        "Restore a `manage.py backup` archive into an EMPTY instance (a new database after "
        "`migrate`, an empty storage location), then verify every file and the transition "
        "log by hash. With --check, only verify the archive (members, log chains); change "
        "nothing. Both refuse unless --expect gives the manifest SHA-256 `backup` printed, "
        "and, when SOPAPP_BACKUP_KEY is set, unless the archive's HMAC verifies."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument(
            "--check", action="store_true", help="Only verify the archive; change nothing."
        )
        parser.add_argument(
            "--expect",
            metavar="SHA256",
            help="The manifest SHA-256 that `backup` printed for this archive (required).",
        )

    def handle(self, *args, archive, check=False, expect=None, **options):
        path = Path(archive)
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        try:
            digest = manifest_sha256(path)
        except (BackupError, OSError, EOFError) as exc:
            raise CommandError(f"{path} is not a readable backup archive: {exc}") from None
        self.stdout.write(f"manifest SHA-256 {digest}")
        if not expect:
            raise CommandError(
                "Give --expect with the manifest SHA-256 that `backup` printed when it wrote "
                f"this archive (this archive's is {digest}); an archive is never trusted on "
                "its own word."
            )
        try:
            if check:
                manifest = verify_archive(path, expect=expect, chains=True)
            else:
                manifest = restore_backup(path, expect=expect)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(manifest["objects"].values())
        files = len(manifest["files"])
        verb = "verified" if check else "restored and verified by SHA-256"
        self.stdout.write(
            f"{path}: {rows} rows and {files} files {verb} (taken {manifest['created_at']})."
        )
        self.stdout.write(f"audit fingerprint {manifest['audit_fingerprint']}")
