import csv
import datetime
import random
import re
from pathlib import Path

import time_machine
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from catalogue.demo import seed_catalogue
from reports import services as report_services
from reports.models import Document, DocumentKind, DocumentStatus, Letterhead, NumberSource
from requests_intake.models import ApplicationRequest, PerangkatDaerah
from signing import demo as signing_demo
from workflow import demo
from workflow.models import Notification, TransitionLog, User
from workflow.services import invitation_confirm
from workflow.states import Role, State
from workflow.transitions import TRANSITIONS

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

# A year and more of finished proposals, so the dashboard and the catalogue have something to
# show: (app name, owner), one every nine days, every fifth one rejected. All of it happened
# before the office began signing electronically and registering its invitations in SRIKANDI.
HISTORY = [
    ("Sistem Informasi Surveilans Demam Berdarah", "pemohon"),
    ("Sistem Informasi Inventaris Sekolah", "pemohon2"),
    ("Aplikasi Antrean Layanan Adminduk", "pemohon3"),
    ("Sistem Informasi Perencanaan Pembangunan Desa", "pemohon4"),
    ("Aplikasi Pendaftaran Online Puskesmas", "pemohon"),
    ("Aplikasi Bursa Guru Pengganti", "pemohon2"),
    ("Sistem Informasi Akta Kematian Desa", "pemohon3"),
    ("Aplikasi Pemantauan Proyek Strategis Daerah", "pemohon4"),
    ("Sistem Informasi Kesehatan Ibu dan Anak", "pemohon"),
    ("Sistem Informasi Bantuan Operasional Sekolah", "pemohon2"),
    ("Aplikasi Pemutakhiran Data Penduduk Kecamatan", "pemohon3"),
    ("Basis Data Indikator Kinerja Daerah", "pemohon4"),
    ("Aplikasi Pemantauan Stunting Desa", "pemohon"),
    ("Aplikasi Pendataan Anak Tidak Sekolah", "pemohon2"),
    ("Aplikasi Pengajuan Kartu Identitas Anak", "pemohon3"),
    ("Aplikasi Rekap Usulan Musrenbang Kecamatan", "pemohon4"),
    ("Sistem Informasi Obat dan Perbekalan Farmasi", "pemohon"),
    ("Aplikasi Rapor Digital Sekolah Dasar", "pemohon2"),
    ("Sistem Informasi Perpindahan Penduduk", "pemohon3"),
    ("Sistem Informasi Data Statistik Sektoral", "pemohon4"),
    ("Aplikasi Pelaporan Penyakit Menular", "pemohon"),
    ("Sistem Informasi Perpustakaan Sekolah", "pemohon2"),
    ("Aplikasi Jemput Bola Perekaman KTP-el", "pemohon3"),
    ("Aplikasi Evaluasi Capaian RPJMD", "pemohon4"),
    ("Aplikasi Jadwal Praktik Bidan Desa", "pemohon"),
    ("Aplikasi Pelatihan Guru Daerah", "pemohon2"),
    ("Aplikasi Monitoring Blangko KTP-el", "pemohon3"),
    ("Aplikasi Peta Tematik Pembangunan", "pemohon4"),
    ("Sistem Informasi Ambulans Desa", "pemohon"),
    ("Sistem Informasi Kelulusan SMP", "pemohon2"),
]
# The office began signing electronically this many days ago (the kop surat's setting): the
# history was signed on paper, the proposals under way are signed in the application.
ESIGN_DAYS_AGO = 30
# Its invitations are numbered from the register (SRIKANDI) since then: they wait for a number.
REGISTER_KIND = DocumentKind.INVITATION
# The standard of the steps in working days (the others: one day), and how much of it a step
# takes in the demo: mostly within its standard, sometimes late.
STEP_DAYS: dict[str, int] = {
    State.DECISION: 20,
    State.DESIGN: 5,
    State.PRESENTATION: 10,
    State.REVIEW: 5,
    State.REPORT: 5,
    State.SOCIALISATION: 5,
}
PACE = (0.2, 0.5, 0.8, 1.0, 1.4)
# The officials signed what reached them earlier: this many documents wait for each.
WAITING = 5
# Words that say nothing about an application, left out of its demo address.
_COMMON_WORDS = {"sistem", "informasi", "aplikasi", "data", "basis", "dan", "online"}

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
        self.rng = random.Random(2026)  # noqa: S311 - repeatable demo data, not security
        with transaction.atomic():
            units = self._units()
            people = self._people(units)
            demo.give_staff_records(people)
            # The catalogue first: the proposals' handovers add to it, step 4 may name from it.
            catalogued = seed_catalogue(actor=people["admin"], units=units)
            fresh = not ApplicationRequest.objects.exists()
            created = self._proposals(people, self._history_plans()) if fresh else 0
        # The checkpoint documents are issued (numbered) once a transaction commits: the
        # history's before the office changed its settings, the current proposals' after.
        if fresh:
            with transaction.atomic():
                self._office_settings()
                created += self._proposals(people, self._current_plans())
            self._register_numbers(people["admin"])
        by_name = {
            req.app_name: req for req in ApplicationRequest.objects.filter(app_name__in=SIGNED)
        }
        signing_demo.seed_signatures(
            people,
            decisions=[by_name[SIGNED[0]]],
            reports=[by_name[SIGNED[1]]],
            partial=[by_name[SIGNED[2]]],
            waiting=WAITING,
        )
        if fresh:
            self._as_of_now()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: {len(units)} units, {len(people)} users "
                f"(password {DEMO_PASSWORD}), {created} new proposals, "
                f"{catalogued} catalogue entries."
            )
        )

    def _as_of_now(self) -> None:
        """What the history's moved clock leaves behind, set as an office would see it now:
        notifications of steps since taken are read, and documents still queued for their
        render were queued now (not when their history happened: they would show as stuck)."""
        latest = (
            TransitionLog.objects.filter(request=OuterRef("request")).order_by("-seq").values("pk")
        )
        now = timezone.now()
        Notification.objects.filter(read_at__isnull=True, log__isnull=False).exclude(
            log_id=Subquery(latest[:1])
        ).update(read_at=now)
        Document.objects.filter(
            status=DocumentStatus.PENDING, render_started_at__isnull=True
        ).update(created_at=now)

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

    @staticmethod
    def _esign_since() -> datetime.date:
        return timezone.localdate() - datetime.timedelta(days=ESIGN_DAYS_AGO)

    def _history_plans(self) -> list:
        """Finished before the office began signing electronically (the steps are capped)."""
        now = timezone.now()
        until = timezone.make_aware(
            datetime.datetime.combine(self._esign_since(), datetime.time())
        ) - datetime.timedelta(hours=1)
        return [
            (
                name,
                owner,
                demo.path_to("rejected") if index % 5 == 4 else demo.HAPPY_PATH,
                now - datetime.timedelta(days=440 - index * 9),
                until,
            )
            for index, (name, owner) in enumerate(HISTORY)
        ]

    def _current_plans(self) -> list:
        now = timezone.now()
        return [
            # Started about as long ago as its steps take: its last step was a few days ago.
            (name, owner, path, now - datetime.timedelta(days=days), now)
            for name, owner, path in PROPOSALS
            for days in [_usual_days(path) + self.rng.randint(1, 5)]
        ]

    def _office_settings(self) -> None:
        """What the office changed lately: electronic signatures from a day ESIGN_DAYS_AGO,
        and one kind of letter numbered from its register (SRIKANDI)."""
        letterhead = Letterhead.load()
        letterhead.esign_since = self._esign_since()
        letterhead.save()
        setting = letterhead.numbering_for(REGISTER_KIND)
        setting.source = NumberSource.REGISTER
        setting.save()

    @staticmethod
    def _register_numbers(actor) -> None:
        """The invitations of the meetings held got their number from the register; the
        invitation to a meeting still to come waits for it ("menunggu nomor")."""
        waiting = list(
            Document.objects.filter(kind=REGISTER_KIND, status=DocumentStatus.AWAITING_NUMBER)
            .select_related("request")
            .order_by("issued_at", "pk")
        )
        latest = {doc.request_id: doc for doc in waiting}
        upcoming = {
            doc.pk
            for doc in latest.values()
            if doc.request.state in (State.PRESENTATION, State.SOCIALISATION)
        }
        code = Letterhead.load().numbering_for(REGISTER_KIND).classification_code
        sequence = 200
        for doc in waiting:
            if doc.pk in upcoming:
                continue
            number = ""
            while not number or Document.objects.filter(number=number).exists():
                sequence += 1
                number = f"{code}/{sequence}/DISKOMINFO/{doc.year}"
            report_services.document_number_enter(actor=actor, document_id=doc.pk, number=number)

    def _proposals(self, people, plans) -> int:
        for app_name, owner, path, started, until in plans:
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
                    moment = self._later(moment, req.state, self.rng, until)
                    clock.move_to(moment)
                    req = demo.take(req, name, actors, fields=self._fields(name, app_name, actors))
                if req.state in (State.PRESENTATION, State.SOCIALISATION):
                    # The next meeting is scheduled and the unit's user has confirmed.
                    kind = "presentation" if req.state == State.PRESENTATION else "socialisation"
                    meeting = demo.schedule_if_needed(req, kind, actors["prakom"], actors)
                    for invitation in meeting.invitations.all():
                        invitation_confirm(actor=invitation.user, invitation_id=invitation.pk)
        return len(plans)

    @staticmethod
    def _fields(name: str, app_name: str, actors: dict) -> dict | None:
        """The application's own address and repository where the step records them."""
        if name != "submit_report":
            return None
        words = [w for w in re.findall(r"[a-z0-9]+", app_name.lower()) if w not in _COMMON_WORDS]
        slug = "-".join(words[:2])
        url = f"https://{slug}.contohkab.go.id"
        release = demo.default_kwargs(name, actors)["release"]
        return {
            "application_url": url,
            "release": {
                **release,
                "url": url,
                "source_repository": f"https://git.contohkab.go.id/diskominfo/{slug}",
            },
        }

    @staticmethod
    def _later(moment, state, rng, until):
        """When the next step is taken: mostly within its standard, sometimes late."""
        days = rng.choice(PACE) * STEP_DAYS.get(state, 1) * 7 / 5
        later = moment + datetime.timedelta(days=days, hours=rng.randint(1, 6))
        return min(later, until - datetime.timedelta(minutes=5))


def _usual_days(path) -> int:
    """Calendar days the steps of ``path`` take at the demo's average pace."""
    average = sum(PACE) / len(PACE) * 7 / 5
    return round(sum(STEP_DAYS.get(TRANSITIONS[n].sources[0], 1) * average for n in path))
