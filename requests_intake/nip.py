"""NIP (*Nomor Induk Pegawai*) of a civil servant: 18 digits = birth date ``YYYYMMDD``, start
of service ``YYYYMM``, gender ``1``/``2``, sequence ``NNN``; printed ``19780512 200501 1 004``."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_SEPARATORS = re.compile(r"[\s.\-]+")


def normalise_nip(value: str) -> str:
    """The 18 digits of a NIP typed with or without spaces; ValidationError when it is none."""
    digits = _SEPARATORS.sub("", value or "")
    if not (len(digits) == 18 and digits.isascii() and digits.isdigit()):
        raise ValidationError(
            _("NIP terdiri dari 18 angka (boleh dengan spasi, mis. 19780512 200501 1 004)."),
            code="nip_length",
        )
    try:
        born = datetime.date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        born = None
    if born is None or born.year < 1940:
        raise ValidationError(
            _("Delapan angka pertama NIP adalah tanggal lahir (TTTTBBHH); %(part)s bukan tanggal.")
            % {"part": digits[0:8]},
            code="nip_birth",
        )
    year, month = int(digits[8:12]), int(digits[12:14])
    if not 1 <= month <= 12 or year < born.year + 15 or year > datetime.date.today().year + 1:
        raise ValidationError(
            _(
                "Angka ke-9 sampai ke-14 NIP adalah tahun dan bulan pengangkatan (TTTTBB); "
                "%(part)s tidak sesuai."
            )
            % {"part": digits[8:14]},
            code="nip_start",
        )
    if digits[14] not in "12":
        raise ValidationError(
            _("Angka ke-15 NIP adalah kode jenis kelamin: 1 atau 2."), code="nip_gender"
        )
    return digits


def format_nip(digits: str) -> str:
    """``197805122005011004`` → ``19780512 200501 1 004`` (other values unchanged)."""
    if len(digits) != 18 or not digits.isdigit():
        return digits
    return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"
