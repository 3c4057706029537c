"""Civil-service data printed in signature blocks: NIP, pangkat/golongan, employment.

*NIP* (Nomor Induk Pegawai) of a civil servant: 18 digits = birth date ``YYYYMMDD`` +
start of service (TMT CPNS) ``YYYYMM`` + sex ``1``/``2`` + sequence ``NNN``, printed
grouped ``19780512 200501 1 004``. PPPK staff carry an 18-digit *NI PPPK* of the same
shape; non-ASN staff have none. *Pangkat/golongan* is the PNS rank (``IV/b``, Pembina
Tingkat I); PPPK staff have a golongan ``I``–``XVII`` instead.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


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


def _nip_parts(digits: str) -> tuple[datetime.date, int, int, str, str]:
    birth = datetime.date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    return birth, int(digits[8:12]), int(digits[12:14]), digits[14], digits[15:18]


def validate_nip(value: str) -> None:
    """18 digits whose birth date, start of service and sex digit make sense."""
    digits = value.replace(" ", "")
    if len(digits) != 18 or not digits.isdigit():
        raise ValidationError(_("NIP terdiri atas 18 angka."), code="nip_length")
    try:
        birth, start_year, start_month, sex, sequence = _nip_parts(digits)
    except ValueError:
        raise ValidationError(
            _("Delapan angka pertama NIP harus tanggal lahir (TTTTBBHH) yang sah."),
            code="nip_birth",
        ) from None
    if not 1930 <= birth.year <= datetime.date.today().year - 15:
        raise ValidationError(_("Tahun lahir dalam NIP tidak masuk akal."), code="nip_birth")
    if not 1 <= start_month <= 12 or not birth.year + 15 <= start_year <= 2100:
        raise ValidationError(
            _("Angka ke-9 s.d. 14 NIP harus tahun dan bulan TMT (TTTTBB) setelah lahir."),
            code="nip_start",
        )
    if sex not in ("1", "2"):
        raise ValidationError(
            _("Angka ke-15 NIP adalah jenis kelamin: 1 (laki-laki) atau 2 (perempuan)."),
            code="nip_sex",
        )
    if sequence == "000":
        raise ValidationError(_("Tiga angka terakhir NIP (nomor urut) tidak boleh 000."))


def normalize_nip(value: str) -> str:
    return "".join(value.split())


def format_nip(value: str) -> str:
    """``197805122005011004`` → ``19780512 200501 1 004`` (other values as they are)."""
    digits = normalize_nip(value)
    if len(digits) != 18 or not digits.isdigit():
        return value
    return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"


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
