"""Signer backends behind one interface, chosen by SOPAPP_SIGNER (``local`` or ``bsre``)."""

from django.conf import settings

from signing.backends.base import (
    Appearance,
    NotRegistered,
    ServiceTimeout,
    ServiceUnavailable,
    SignerBackend,
    SigningError,
    WrongPassphrase,
)

__all__ = [
    "Appearance",
    "NotRegistered",
    "ServiceTimeout",
    "ServiceUnavailable",
    "SignerBackend",
    "SigningError",
    "WrongPassphrase",
    "get_backend",
]


def get_backend() -> SignerBackend:
    if settings.SOPAPP_SIGNER == "bsre":
        from signing.backends.bsre import BsreSigner

        return BsreSigner.from_settings()
    from signing.backends.local import LocalSigner

    return LocalSigner()
