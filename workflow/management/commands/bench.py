import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = (
        "Benchmark the pages at two sizes, against the Django admin and the floor. "
        "Recreates its scratch database: the database name must contain 'bench'."
    )

    def add_arguments(self, parser):
        parser.add_argument("--small", type=int, default=1000)
        parser.add_argument("--large", type=int, default=100_000)
        parser.add_argument("--repeat", type=int, default=7)
        parser.add_argument("--transitions", type=int, default=1000)
        parser.add_argument("--no-documents", action="store_true")

    def handle(self, *args, **options):
        name = str(settings.DATABASES["default"]["NAME"])
        if "bench" not in Path(name).name:
            raise CommandError(
                f"Refusing to benchmark in {name!r}: point DATABASE_URL at a scratch "
                "database whose name contains 'bench' (make bench does)."
            )
        if options["small"] < 1 or options["large"] <= options["small"]:
            raise CommandError("--large must be greater than --small (both positive).")
        self._recreate(name)
        call_command("migrate", verbosity=0, interactive=False)
        from sopapp import bench

        rows = bench.run(
            small=options["small"],
            large=options["large"],
            repeat=options["repeat"],
            transitions=options["transitions"],
            documents=not options["no_documents"],
            write=lambda line: self.stdout.write(line),
        )
        vendor = connection.vendor
        self.stdout.write("")
        self.stdout.write(f"database: {vendor}; python {sys.version.split()[0]}")
        self.stdout.write(bench.table(rows))

    def _recreate(self, name: str) -> None:
        connection.close()
        if connection.vendor == "sqlite":
            Path(name).unlink(missing_ok=True)
            return
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark runs on SQLite or PostgreSQL.")
        import psycopg

        params = settings.DATABASES["default"]
        with psycopg.connect(
            dbname="postgres",
            user=params.get("USER") or None,
            password=params.get("PASSWORD") or None,
            host=params.get("HOST") or None,
            port=params.get("PORT") or None,
            autocommit=True,
        ) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
