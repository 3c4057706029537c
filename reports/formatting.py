"""Indonesian dates and numbers for official documents, whatever the UI language.

Official documents are always Indonesian: "Senin, 17 Agustus 2026", and in a
*berita acara* the date spelled out ("tujuh belas bulan Agustus tahun dua ribu dua
puluh enam") as the *tata naskah dinas* expects.
"""

import datetime

from django.conf import settings
from django.utils import timezone
from num2words import num2words

HARI = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
BULAN = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
ROMAWI = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")

# Indonesia's three time zones by their official abbreviations.
ZONE_NAMES = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}


def _date(value: datetime.date | datetime.datetime) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def tanggal(value: datetime.date | datetime.datetime | None) -> str:
    """17 Agustus 2026"""
    if value is None:
        return ""
    d = _date(value)
    return f"{d.day} {BULAN[d.month - 1]} {d.year}"


def hari(value: datetime.date | datetime.datetime) -> str:
    return HARI[_date(value).weekday()]


def hari_tanggal(value: datetime.date | datetime.datetime | None) -> str:
    """Senin, 17 Agustus 2026"""
    if value is None:
        return ""
    return f"{hari(value)}, {tanggal(value)}"


def zone_name() -> str:
    return ZONE_NAMES.get(settings.TIME_ZONE, settings.TIME_ZONE)


def waktu(value: datetime.datetime | None) -> str:
    """17 Agustus 2026 pukul 09.30 WIB"""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{tanggal(local)} pukul {jam(local)}"


def jam(value: datetime.datetime | None) -> str:
    """09.30 WIB"""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{local:%H.%M} {zone_name()}"


def terbilang(number: int) -> str:
    """A whole number in Indonesian words: 2026 → "dua ribu dua puluh enam"."""
    return num2words(int(number), lang="id")


def tanggal_terbilang(value: datetime.date | datetime.datetime) -> str:
    """tujuh belas bulan Agustus tahun dua ribu dua puluh enam"""
    d = _date(value)
    return f"{terbilang(d.day)} bulan {BULAN[d.month - 1]} tahun {terbilang(d.year)}"


def pembuka_berita_acara(value: datetime.date | datetime.datetime) -> str:
    """Pada hari ini Senin tanggal tujuh belas bulan Agustus tahun dua ribu dua puluh enam"""
    return f"Pada hari ini {hari(value)} tanggal {tanggal_terbilang(value)}"


def bulan_romawi(value: datetime.date | datetime.datetime) -> str:
    return ROMAWI[_date(value).month - 1]


def durasi(delta: datetime.timedelta | None) -> str:
    """A calendar duration for people: "2 hari 3 jam", "45 menit"."""
    if delta is None:
        return ""
    minutes = max(0, int(delta.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} hari")
    if hours:
        parts.append(f"{hours} jam")
    if not days and (minutes or not parts):
        parts.append(f"{minutes} menit")
    return " ".join(parts)
