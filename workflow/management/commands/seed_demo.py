import csv
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from requests_intake.models import ApplicationRequest, PerangkatDaerah
from workflow import demo
from workflow.models import User
from workflow.states import Role

DEMO_PASSWORD = "sop-demo-2026"
UNITS_CSV = (
    Path(__file__).resolve().parents[3] / "requests_intake" / "data" / "perangkat_daerah.csv"
)

# username, first name, last name, roles, unit code, position
PEOPLE = [
    ("pemohon", "Siti", "Rahmawati", [Role.PEMOHON], "DINKES", "Kepala Subbagian Umum"),
    ("pemohon2", "Bambang", "Wijaya", [Role.PEMOHON], "DISDIK", "Analis Data"),
    ("pemohon3", "Rina", "Marlina", [Role.PEMOHON], "DISDUKCAPIL", "Kepala Seksi Data"),
    ("pemohon4", "Agus", "Salim", [Role.PEMOHON], "BAPPEDA", "Perencana Ahli Muda"),
    (
        "kasi",
        "Dewi",
        "Lestari",
        [Role.KASI],
        None,
        "Kepala Seksi Pengembangan Aplikasi Pemerintahan",
    ),
    ("kabid", "Hendra", "Gunawan", [Role.KABID], None, "Kepala Bidang Layanan e-Government"),
    (
        "kadis",
        "Ir. Suryadi",
        "Hartono, M.T.",
        [Role.KADIS],
        None,
        "Kepala Dinas Komunikasi dan Informatika",
    ),
    ("prakom", "Andi", "Pratama", [Role.PRAKOM], None, "Pranata Komputer Ahli Pertama"),
    ("admin", "Admin", "Diskominfo", [Role.ADMIN], None, "Administrator Sistem"),
]

# (app name, owner, transitions from a new draft)
PROPOSALS = [
    ("Sistem Informasi Posyandu Terpadu", "pemohon", ()),
    ("Aplikasi Data Sekolah Rusak", "pemohon2", ("submit",)),
    ("Dashboard Kependudukan Kecamatan", "pemohon3", demo.HAPPY_PATH[:2]),
    ("Sistem Monitoring Musrenbang", "pemohon4", demo.HAPPY_PATH[:3]),
    ("Aplikasi Antrean Puskesmas", "pemohon", demo.HAPPY_PATH[:4]),
    ("Basis Data Guru Honorer", "pemohon2", demo.HAPPY_PATH[:5]),
    ("Sistem Informasi Akta Kelahiran Desa", "pemohon3", demo.HAPPY_PATH[:6]),
    (
        "Aplikasi Pelaporan Gizi Buruk",
        "pemohon",
        (*demo.HAPPY_PATH[:7], "request_another_round", "record_presentation"),
    ),
    ("Sistem Informasi Beasiswa Daerah", "pemohon2", (*demo.HAPPY_PATH[:9], "kasi_return")),
    ("E-Planning Pokok Pikiran DPRD", "pemohon4", demo.HAPPY_PATH[:11]),
    ("Aplikasi Rujukan Ibu Hamil", "pemohon", demo.HAPPY_PATH[:12]),
    ("Sistem Informasi Data Vaksinasi", "pemohon", demo.HAPPY_PATH),
    ("Aplikasi Absensi Kegiatan Dinas", "pemohon3", demo.path_to("rejected")),
]


class Command(BaseCommand):
    help = "Load demo units, one user per SOP role and a dozen proposals (development only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even when DJANGO_DEBUG=False (never on real data).",
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo refuses to run with DJANGO_DEBUG=False.")
        with transaction.atomic():
            units = self._units()
            people = self._people(units)
            created = self._proposals(people)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: {len(units)} units, {len(people)} users "
                f"(password {DEMO_PASSWORD}), {created} new proposals."
            )
        )

    def _units(self) -> dict[str, PerangkatDaerah]:
        units = {}
        with UNITS_CSV.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                unit, _ = PerangkatDaerah.objects.get_or_create(
                    code=row["code"],
                    defaults={"name": row["name"], "short_name": row["short_name"]},
                )
                units[unit.code] = unit
        return units

    def _people(self, units) -> dict[str, User]:
        people = {}
        admin_perms = Permission.objects.filter(
            content_type__app_label__in=["requests_intake", "workflow", "auth"],
            content_type__model__in=["perangkatdaerah", "user", "roletitle", "group"],
        )
        Group.objects.get(name=Role.ADMIN).permissions.add(*admin_perms)
        for username, first, last, roles, unit_code, position in PEOPLE:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "position": position,
                    "email": f"{username}@diskominfo.example.go.id",
                    "unit": units.get(unit_code) if unit_code else None,
                    "is_staff": Role.ADMIN in roles,
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            user.groups.add(*Group.objects.filter(name__in=roles))
            people[username] = user
        return people

    def _proposals(self, people) -> int:
        if ApplicationRequest.objects.exists():
            return 0
        for app_name, owner, path in PROPOSALS:
            actors = {
                "pemohon": people[owner],
                "kasi": people["kasi"],
                "kabid": people["kabid"],
                "kadis": people["kadis"],
                "prakom": people["prakom"],
            }
            req = demo.create_draft(actors, app_name=app_name)
            demo.walk(req, actors, path)
        return len(PROPOSALS)
