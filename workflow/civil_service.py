"""Civil-service data printed in signature blocks: NIP, pangkat/golongan, employment.

*NIP* (Nomor Induk Pegawai) of a civil servant: 18 digits = birth date ``YYYYMMDD`` +
start of service (TMT CPNS) ``YYYYMM`` + sex ``1``/``2`` + sequence ``NNN``, printed
grouped ``19780512 200501 1 004``. PPPK staff carry an 18-digit *NI PPPK* of the same
shape; non-ASN staff have none. *Pangkat/golongan* is the PNS rank (``IV/b``, Pembina
Tingkat I); PPPK staff have a golongan ``I``–``XVII`` instead.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# The NIP itself is checked in one place, shared with the proposal form's letter signer.
from requests_intake.nip import compact_nip as compact_nip
from requests_intake.nip import format_nip as format_nip
from requests_intake.nip import validate_nip as validate_nip


class Employment(models.TextChoices):
    PNS = "pns", _("PNS")
    PPPK = "pppk", _("PPPK")
    NON_ASN = "non_asn", _("Non-ASN")


PNS_RANKS = (
    ("I/a", "Juru Muda"),
    ("I/b", "Juru Muda Tingkat I"),
    ("I/c", "Juru"),
    ("I/d", "Juru Tingkat I"),
    ("II/a", "Pengatur Muda"),
    ("II/b", "Pengatur Muda Tingkat I"),
    ("II/c", "Pengatur"),
    ("II/d", "Pengatur Tingkat I"),
    ("III/a", "Penata Muda"),
    ("III/b", "Penata Muda Tingkat I"),
    ("III/c", "Penata"),
    ("III/d", "Penata Tingkat I"),
    ("IV/a", "Pembina"),
    ("IV/b", "Pembina Tingkat I"),
    ("IV/c", "Pembina Utama Muda"),
    ("IV/d", "Pembina Utama Madya"),
    ("IV/e", "Pembina Utama"),
)
PPPK_GRADES = (
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX",
    "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII",
)  # fmt: skip
PNS_RANK_NAMES = dict(PNS_RANKS)
RANK_CHOICES = [
    (_("PNS"), [(code, f"{name} ({code})") for code, name in PNS_RANKS]),
    (_("PPPK"), [(f"PPPK-{grade}", f"PPPK golongan {grade}") for grade in PPPK_GRADES]),
]


def rank_display(rank: str) -> str:
    """As printed under the name: ``Pembina Tingkat I (IV/b)``, ``PPPK golongan IX``."""
    if rank in PNS_RANK_NAMES:
        return f"{PNS_RANK_NAMES[rank]} ({rank})"
    if rank.startswith("PPPK-"):
        return f"Golongan {rank.removeprefix('PPPK-')}"
    return rank


def check_person(employment: str, nip: str, rank: str) -> dict[str, str]:
    """Field errors of a person's civil-service data (empty when consistent)."""
    errors: dict[str, str] = {}
    if employment == Employment.NON_ASN:
        if nip:
            errors["nip"] = gettext("Pegawai non-ASN tidak mempunyai NIP; kosongkan isian ini.")
        if rank:
            errors["rank"] = gettext("Pegawai non-ASN tidak mempunyai pangkat/golongan.")
        return errors
    if nip:
        try:
            validate_nip(nip)
        except ValidationError as exc:
            errors["nip"] = exc.messages[0]
    if rank and employment == Employment.PNS and rank not in PNS_RANK_NAMES:
        errors["rank"] = gettext("Pilih pangkat/golongan PNS (I/a sampai IV/e).")
    if rank and employment == Employment.PPPK and not rank.startswith("PPPK-"):
        errors["rank"] = gettext("Pilih golongan PPPK (I sampai XVII).")
    return errors


def missing_for_signature(employment: str, nip: str, rank: str) -> list[str]:
    """What a signature block of this person would lack (NIP, rank): for the warnings."""
    if employment == Employment.NON_ASN:
        return []
    missing = []
    if not nip:
        missing.append(gettext("NIP"))
    if not rank:
        missing.append(gettext("pangkat/golongan"))
    return missing
