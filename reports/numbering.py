"""Letter numbers (yearly counter per classification code) and short verification codes."""

import datetime
import secrets

from django.utils import timezone

from reports.formatting import bulan_romawi
from reports.models import Document, Letterhead, NumberSource
from requests_intake.services import next_sequence

# Crockford's base32: no I, L, O, U, so a code read aloud or retyped survives.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 8
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def allocate_number(*, kind: str, when: datetime.datetime) -> tuple[str, int, int]:
    """(number, year, sequence) of the next letter of ``kind``; call inside a transaction.

    The counter runs per classification code and year. A kind numbered from the agency's
    register gets no number here: ("", year, 0), and waits for one typed in.
    """
    local = timezone.localtime(when)
    setting = Letterhead.numbering_for(kind)
    if setting.source == NumberSource.REGISTER:
        return "", local.year, 0
    sequence = next_sequence(key=setting.counter_key, year=local.year)
    number = setting.format(seq=sequence, year=local.year, month=bulan_romawi(local))
    return number, local.year, sequence


def new_code(*, checked: bool = True) -> str:
    """A fresh verification code. ``checked=False`` skips the look-up and lets the unique
    index refuse the one-in-10¹² repeat: for callers inside a savepoint that gives up
    cleanly (a transition's documents, issued again by the healing)."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not checked or not Document.objects.filter(code=code).exists():
            return code


def normalize_code(raw: str) -> str | None:
    """The stored form of a code as people type it ("7kq2-m9xd" → "7KQ2M9XD"), or None."""
    cleaned = "".join(raw.split()).replace("-", "").upper().translate(_CONFUSABLE)
    if len(cleaned) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in cleaned):
        return None
    return cleaned
