"""The places the SOP can be in, and which of the 12 steps each belongs to.

Role codes keep the SOP's Indonesian words: ``pemohon`` (the requesting Perangkat
Daerah), ``kasi`` (Kepala Seksi), ``kabid`` (Kepala Bidang), ``kadis`` (Kepala Dinas),
``prakom`` (Pranata Komputer staff).
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


class Role(models.TextChoices):
    PEMOHON = "pemohon", _("Perangkat Daerah Pemohon")
    KASI = "kasi", _("Kepala Seksi Pengembangan Aplikasi Pemerintahan")
    KABID = "kabid", _("Kepala Bidang Layanan e-Government")
    KADIS = "kadis", _("Kepala Dinas")
    PRAKOM = "prakom", _("Staf Pranata Komputer")
    ADMIN = "admin", _("Administrator")


class State(models.TextChoices):
    DRAFT = "draft", _("Draf (belum diajukan)")
    UNIT_COMPLETION = "s01_completion", _("Dikembalikan kepada Perangkat Daerah untuk dilengkapi")
    RECEIVE = "s02_receive", _("Menunggu diterima Kasi")
    KASI_FORWARD = "s03_kasi_forward", _("Menunggu diteruskan Kasi ke Kabid")
    KABID_FORWARD = "s03_kabid_forward", _("Menunggu disampaikan Kabid ke Kepala Dinas")
    DECISION = "s04_decision", _("Menunggu keputusan Kepala Dinas")
    DESIGN = "s05_design", _("Perancangan sistem oleh Prakom")
    PRESENTATION = "s06_presentation", _("Presentasi rancangan kepada pengguna")
    REVIEW = "s07_review", _("Reviu dan perbaikan sistem")
    UNIT_AGREEMENT = "s07_unit_agreement", _("Menunggu persetujuan rancangan oleh Perangkat Daerah")
    REPORT = "s08_report", _("Penyusunan buku manual dan laporan")
    KASI_CHECK = "s09_kasi_check", _("Pemeriksaan laporan oleh Kasi")
    KABID_CHECK = "s10_kabid_check", _("Pemeriksaan laporan oleh Kabid")
    KADIS_CHECK = "s11_kadis_check", _("Pemeriksaan laporan oleh Kepala Dinas")
    SOCIALISATION = "s12_socialisation", _("Sosialisasi kepada pengguna")
    REJECTED = "rejected", _("Ditolak (tidak perlu)")
    COMPLETED = "completed", _("Selesai")


FINAL_STATES = frozenset({State.REJECTED, State.COMPLETED})
# Submitted and not yet final: listed positively so the state index is used.
RUNNING_STATES = tuple(s for s in State.values if s not in FINAL_STATES and s != State.DRAFT)


@dataclass(frozen=True)
class Step:
    number: int
    activity: "str | StrPromise"
    short: "str | StrPromise"
    actor: Role
    states: tuple[State, ...]


# The 12 steps of the SOP's flow table (section 5). Labels are lazy translations.
STEPS: tuple[Step, ...] = (
    Step(
        1,
        _("Mengajukan usulan pembuatan aplikasi"),
        _("Pengajuan"),
        Role.PEMOHON,
        (State.DRAFT, State.UNIT_COMPLETION),
    ),
    Step(2, _("Menerima dan mempelajari usulan"), _("Penerimaan"), Role.KASI, (State.RECEIVE,)),
    Step(
        3,
        _("Meneruskan usulan (Kasi → Kabid → Kepala Dinas)"),
        _("Penerusan"),
        Role.KASI,
        (State.KASI_FORWARD, State.KABID_FORWARD),
    ),
    Step(
        4,
        _("Mempelajari usulan: perlu / tidak perlu"),
        _("Keputusan"),
        Role.KADIS,
        (State.DECISION,),
    ),
    Step(
        5,
        _("Merumuskan struktur data, alur program, dan rancangan antarmuka"),
        _("Perancangan"),
        Role.PRAKOM,
        (State.DESIGN,),
    ),
    Step(
        6,
        _("Mempresentasikan rancangan sistem kepada pengguna"),
        _("Presentasi"),
        Role.PRAKOM,
        (State.PRESENTATION,),
    ),
    Step(
        7,
        _("Mereviu rancangan dan memperbaiki sistem sesuai kebutuhan pengguna"),
        _("Reviu"),
        Role.PRAKOM,
        (State.REVIEW, State.UNIT_AGREEMENT),
    ),
    Step(
        8, _("Membuat buku manual dan laporan"), _("Manual & laporan"), Role.PRAKOM, (State.REPORT,)
    ),
    Step(
        9, _("Menerima dan mengecek laporan (Kasi)"), _("Cek Kasi"), Role.KASI, (State.KASI_CHECK,)
    ),
    Step(
        10,
        _("Menerima dan mengecek laporan (Kabid)"),
        _("Cek Kabid"),
        Role.KABID,
        (State.KABID_CHECK,),
    ),
    Step(
        11,
        _("Menerima dan mengecek laporan (Kepala Dinas)"),
        _("Cek Kadis"),
        Role.KADIS,
        (State.KADIS_CHECK,),
    ),
    Step(
        12,
        _("Melaksanakan sosialisasi kepada pengguna"),
        _("Sosialisasi"),
        Role.PRAKOM,
        (State.SOCIALISATION,),
    ),
)

STEP_OF_STATE: dict[str, int] = {state: step.number for step in STEPS for state in step.states}

# Who must act in each running state. Step 3 has two actors in turn.
ACTOR_OF_STATE: dict[str, Role] = {
    State.DRAFT: Role.PEMOHON,
    State.UNIT_COMPLETION: Role.PEMOHON,
    State.RECEIVE: Role.KASI,
    State.KASI_FORWARD: Role.KASI,
    State.KABID_FORWARD: Role.KABID,
    State.DECISION: Role.KADIS,
    State.DESIGN: Role.PRAKOM,
    State.PRESENTATION: Role.PRAKOM,
    State.REVIEW: Role.PRAKOM,
    State.UNIT_AGREEMENT: Role.PEMOHON,
    State.REPORT: Role.PRAKOM,
    State.KASI_CHECK: Role.KASI,
    State.KABID_CHECK: Role.KABID,
    State.KADIS_CHECK: Role.KADIS,
    State.SOCIALISATION: Role.PRAKOM,
}


def step_number(state: str) -> int | None:
    """The SOP step a state belongs to; None for the final states."""
    return STEP_OF_STATE.get(state)


def progress(state: str) -> list[dict]:
    """The 12 steps with done/current/todo for the progress bar."""
    current = step_number(state)
    rows = []
    for step in STEPS:
        if state == State.COMPLETED:
            status = "done"
        elif state == State.REJECTED:
            status = "done" if step.number <= 4 else "skipped"
        elif current is not None and step.number < current:
            status = "done"
        elif step.number == current:
            status = "current"
        else:
            status = "todo"
        rows.append({"step": step, "status": status})
    return rows
