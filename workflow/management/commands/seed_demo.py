import csv
import datetime
import random
from pathlib import Path

import time_machine
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from catalogue.demo import seed_catalogue
from requests_intake.models import ApplicationRequest, PerangkatDaerah
from signing import demo as signing_demo
from workflow import demo
from workflow.models import User
from workflow.services import invitation_confirm
from workflow.states import Role, State

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
        "Suryadi",
        "Hartono",
        [Role.KADIS],
        None,
        "Kepala Dinas Komunikasi dan Informatika",
    ),
    ("prakom", "Andi", "Pratama", [Role.PRAKOM], None, "Pranata Komputer Ahli Pertama"),
    ("admin", "Admin", "Diskominfo", [Role.ADMIN], None, "Administrator Sistem"),
]

HISTORY = 30
HISTORIC_NAMES = [
    "Sistem Informasi Perizinan",
    "Aplikasi Arsip Digital",
    "Basis Data Aset Daerah",
    "Aplikasi Pengaduan Masyarakat",
    "Sistem Informasi Kepegawaian",
    "Aplikasi Data Bencana",
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
    ("Sistem Informasi Beasiswa Daerah", "pemohon2", (*demo.HAPPY_PATH[:11], "kasi_return")),
    ("E-Planning Pokok Pikiran DPRD", "pemohon4", demo.HAPPY_PATH[:13]),
    ("Aplikasi Rujukan Ibu Hamil", "pemohon", demo.HAPPY_PATH[:14]),
    ("Sistem Informasi Data Vaksinasi", "pemohon", demo.HAPPY_PATH),
    ("Aplikasi Absensi Kegiatan Dinas", "pemohon3", demo.path_to("rejected")),
    # The office around the steps: a return to the unit, one completed and received again,
    # the unit asked to agree, the unit asking for changes, an existing application used.
    ("Sistem Informasi Retribusi Pasar", "pemohon2", demo.path_to("s01_completion")),
    (
        "Aplikasi Perizinan Reklame",
        "pemohon4",
        (*demo.HAPPY_PATH[:3], "kabid_return_to_unit", "resubmit", "receive"),
    ),
    ("Sistem Pendataan UMKM", "pemohon3", demo.HAPPY_PATH[:8]),
    (
        "Aplikasi Layanan Pengaduan Air Bersih",
        "pemohon",
        (*demo.HAPPY_PATH[:8], "unit_request_changes"),
    ),
    (
        "Aplikasi Surat Menyurat Kecamatan",
        "pemohon4",
        (*demo.HAPPY_PATH[:4], "decide_use_existing"),
    ),
]
# Signed electronically in the demo: a decision, a fully approved report (four successive
# signatures) and a report still waiting for the Kabid and the Kepala Dinas.
SIGNED = (
    "Sistem Informasi Akta Kelahiran Desa",
    "Sistem Informasi Data Vaksinasi",
    "Aplikasi Rujukan Ibu Hamil",
)


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
            demo.give_staff_records(people)
            # The catalogue first: the proposals' handovers add to it, step 4 may name from it.
            catalogued = seed_catalogue(actor=people["admin"], units=units)
            created = self._proposals(people)
        # After the commit: the checkpoint documents are issued once it has happened.
        by_name = {
            req.app_name: req for req in ApplicationRequest.objects.filter(app_name__in=SIGNED)
        }
        signing_demo.seed_signatures(
            people,
            decisions=[by_name[SIGNED[0]]],
            reports=[by_name[SIGNED[1]]],
            partial=[by_name[SIGNED[2]]],
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: {len(units)} units, {len(people)} users "
                f"(password {DEMO_PASSWORD}), {created} new proposals, "
                f"{catalogued} catalogue entries."
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
        rng = random.Random(2026)  # noqa: S311 - repeatable demo data, not security
        now = timezone.now()
        plans = [
            (name, owner, path, now - datetime.timedelta(days=rng.randint(3, 30)))
            for name, owner, path in PROPOSALS
        ]
        # A year of finished history, so the dashboard has something to show.
        owners = ["pemohon", "pemohon2", "pemohon3", "pemohon4"]
        for index in range(HISTORY):
            path = demo.path_to("rejected") if index % 5 == 4 else demo.HAPPY_PATH
            started = now - datetime.timedelta(days=330 - index * 9)
            plans.append(
                (
                    f"{HISTORIC_NAMES[index % len(HISTORIC_NAMES)]} {index + 1}",
                    owners[index % 4],
                    path,
                    started,
                )
            )
        for app_name, owner, path, started in plans:
            actors = {
                "pemohon": people[owner],
                "kasi": people["kasi"],
                "kabid": people["kabid"],
                "kadis": people["kadis"],
                "prakom": people["prakom"],
            }
            moment = started
            with time_machine.travel(moment, tick=False) as clock:
                req = demo.create_draft(
                    actors,
                    app_name=app_name,
                    letter_date=timezone.localdate() - datetime.timedelta(2),
                    desired_completion=None,
                )
                for name in path:
                    moment = self._later(moment, req.state, rng, now)
                    clock.move_to(moment)
                    req = demo.take(req, name, actors)
                if req.state in (State.PRESENTATION, State.SOCIALISATION):
                    # The next meeting is scheduled and the unit's user has confirmed.
                    kind = "presentation" if req.state == State.PRESENTATION else "socialisation"
                    meeting = demo.schedule_if_needed(req, kind, actors["prakom"], actors)
                    for invitation in meeting.invitations.all():
                        invitation_confirm(actor=invitation.user, invitation_id=invitation.pk)
        return len(plans)

    @staticmethod
    def _later(moment, state, rng, now):
        """When the next step is taken: mostly within its standard, sometimes late."""
        standard_days = {
            "s04_decision": 20,
            "s05_design": 5,
            "s06_presentation": 10,
            "s07_review": 5,
            "s08_report": 5,
            "s12_socialisation": 5,
        }
        allowed = standard_days.get(state, 1)
        days = rng.choice([0.2, 0.5, 0.8, 1.0, 1.4]) * allowed * 7 / 5
        later = moment + datetime.timedelta(days=days, hours=rng.randint(1, 6))
        return min(later, now - datetime.timedelta(minutes=5))
