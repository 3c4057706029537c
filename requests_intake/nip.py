"""NIP (*Nomor Induk Pegawai*) of a civil servant: 18 digits = birth date ``YYYYMMDD``, start
of service (TMT) ``YYYYMM``, sex ``1``/``2``, sequence ``NNN``; printed ``19780512 200501 1 004``.

PPPK staff carry an 18-digit *NI PPPK* of the same shape. The one check of the number, for the
letter's signer on the proposal form and for the officials who sign the documents.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_SEPARATORS = re.compile(r"[\s.\-]+")


def compact_nip(value: str) -> str:
    """The number without the spaces, dots or dashes it is often typed with (not checked)."""
    return _SEPARATORS.sub("", value or "")


def normalise_nip(value: str) -> str:
    """The 18 digits of a NIP typed with or without spaces; ValidationError saying what is wrong."""
    digits = compact_nip(value)
    if not (len(digits) == 18 and digits.isascii() and digits.isdigit()):
        raise ValidationError(
            _("NIP terdiri atas 18 angka. Spasi boleh, mis. 19780512 200501 1 004."),
            code="nip_length",
        )
    try:
        born = datetime.date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        born = None
    if born is None or not 1930 <= born.year <= datetime.date.today().year - 15:
        raise ValidationError(
            _("Delapan angka pertama NIP adalah tanggal lahir (TTTTBBHH); %(part)s bukan tanggal.")
            % {"part": digits[0:8]},
            code="nip_birth",
        )
    year, month = int(digits[8:12]), int(digits[12:14])
    if not 1 <= month <= 12 or year < born.year + 15 or year > datetime.date.today().year + 1:
        raise ValidationError(
            _(
                "Angka ke-9 sampai ke-14 NIP adalah tahun dan bulan pengangkatan (TMT, TTTTBB); "
                "%(part)s tidak sesuai."
            )
            % {"part": digits[8:14]},
            code="nip_start",
        )
    if digits[14] not in "12":
        raise ValidationError(
            _("Angka ke-15 NIP adalah jenis kelamin: 1 (laki-laki) atau 2 (perempuan)."),
            code="nip_gender",
        )
    if digits[15:] == "000":
        raise ValidationError(
            _("Tiga angka terakhir NIP (nomor urut) tidak boleh 000."), code="nip_sequence"
        )
    return digits


def validate_nip(value: str) -> None:
    """A validator: ``value`` is a NIP (see ``normalise_nip``)."""
    normalise_nip(value)


def format_nip(value: str) -> str:
    """``197805122005011004`` → ``19780512 200501 1 004`` (other values as they are)."""
    digits = compact_nip(value)
    if len(digits) != 18 or not digits.isdigit():
        return value
    return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"
