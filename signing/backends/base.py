"""The signer interface and the errors every backend speaks (messages in Indonesian)."""

from dataclasses import dataclass, field
from typing import Protocol

from django.utils.translation import gettext_lazy as _


class SigningError(Exception):
    """The signature was not made. ``message`` is shown to the signer."""

    default_message = _("Dokumen gagal ditandatangani.")
    # Counted towards the lockout like a failed login.
    counts_as_failure = False

    def __init__(self, message=None, detail: str = "") -> None:
        self.message = message or self.default_message
        super().__init__(detail or str(self.message))


class WrongPassphrase(SigningError):
    default_message = _("Passphrase salah. Dokumen tidak ditandatangani.")
    counts_as_failure = True


class NotRegistered(SigningError):
    default_message = _(
        "Anda belum memiliki sertifikat elektronik yang aktif. Hubungi administrator."
    )


class ServiceUnavailable(SigningError):
    default_message = _(
        "Layanan tanda tangan elektronik sedang tidak dapat dihubungi. Coba lagi nanti."
    )


class ServiceTimeout(ServiceUnavailable):
    default_message = _(
        "Layanan tanda tangan elektronik tidak menjawab dalam batas waktu. "
        "Dokumen tidak ditandatangani; coba lagi nanti."
    )


@dataclass(frozen=True)
class Appearance:
    """The visible signature box: BSSN's "Ditandatangani secara elektronik oleh …" + QR.

    ``box`` in PDF points (x1, y1, x2, y2), origin bottom-left, on page ``page``
    (0-based; -1 is the last page). ``visible=False`` signs invisibly.
    """

    position: str
    name: str
    nip: str
    qr_url: str
    page: int = -1
    box: tuple[int, int, int, int] = (40, 60, 250, 130)
    visible: bool = True
    location: str = ""
    lines: tuple[str, ...] = field(default=())


class SignerBackend(Protocol):
    name: str

    def sign(
        self, pdf: bytes, *, user, passphrase: str, field_name: str, appearance: Appearance
    ) -> bytes:
        """The PDF with one more (incremental) PAdES signature, or a SigningError."""
        ...
