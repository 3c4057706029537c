"""Validate the signatures in a PDF against the configured trust roots (pyHanko)."""

import asyncio
import concurrent.futures
import io
import logging
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from django.conf import settings
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from signing.models import CertificateAuthority

logger = logging.getLogger(__name__)


class NotAPdf(Exception):
    """The file could not be read as a PDF."""


@dataclass
class SignatureReport:
    field: str
    signer: str
    nip: str
    issuer: str
    signed_at: object  # datetime | None
    intact: bool  # the signed bytes are unchanged
    unmodified: bool  # nothing but later signatures was added after signing
    trusted: bool  # the chain leads to a trusted root
    revoked: bool
    valid: bool  # the cryptographic signature itself checks out

    @property
    def ok(self) -> bool:
        return self.intact and self.unmodified and self.trusted and not self.revoked and self.valid


def _pem_certificates(data: bytes) -> list[asn1_x509.Certificate]:
    from asn1crypto import pem

    if pem.detect(data):
        return [asn1_x509.Certificate.load(der) for _t, _h, der in pem.unarmor(data, multiple=True)]
    return [asn1_x509.Certificate.load(data)]


def trust_roots() -> list[asn1_x509.Certificate]:
    """The local CA (when there is one) and the files in SOPAPP_SIGNING_TRUST_ROOTS."""
    roots = []
    authority = CertificateAuthority.objects.filter(pk=1).first()
    if authority is not None:
        roots.extend(_pem_certificates(authority.certificate_pem.encode()))
    for path in settings.SOPAPP_SIGNING_TRUST_ROOTS:
        try:
            roots.extend(_pem_certificates(Path(path).read_bytes()))
        except (OSError, ValueError):
            logger.exception("Could not read the trust root %s", path)
    return roots


def validation_context() -> ValidationContext:
    from signing.services import current_crl

    crls = []
    crl = current_crl()
    if crl:
        crls.append(crl)
    return ValidationContext(
        trust_roots=trust_roots(),
        crls=crls,
        allow_fetching=settings.SOPAPP_SIGNING_FETCH_REVOCATION,
        # The local CA's certificates name its CRL, which is given here; a root from
        # elsewhere is checked against its CRLs only when fetching is allowed.
        revocation_mode="soft-fail",
    )


def _name_part(name, key: str) -> str:
    try:
        return str(name.native.get(key, "") or "")
    except Exception:  # an unusual subject never breaks the page
        return ""


def validate_pdf(data: bytes) -> list[SignatureReport]:
    """Every signature of ``data`` with its checks; NotAPdf when it cannot be read."""
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = list(reader.embedded_signatures)
    except PdfError as exc:
        raise NotAPdf(str(exc)) from None
    except Exception as exc:  # a malformed file can fail anywhere in the parser
        raise NotAPdf(f"{type(exc).__name__}: {exc}") from None
    if not signatures:
        return []
    context = validation_context()
    return _outside_event_loop(lambda: [_validate_one(s, context) for s in signatures])


def _outside_event_loop(work):
    """pyHanko's synchronous validation runs its own event loop, which cannot start in a
    thread that already runs one (an ASGI server, a browser test): then use a helper thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()


def _validate_one(signature, context: ValidationContext) -> SignatureReport:
    cert = None
    try:
        cert = signature.signer_cert
    except Exception:  # no readable certificate in the signature
        logger.info("A signature without a readable certificate")
    subject = cert.subject if cert is not None else None
    report = SignatureReport(
        field=signature.field_name or "",
        signer=_name_part(subject, "common_name") if subject else "",
        nip=_name_part(subject, "serial_number") if subject else "",
        issuer=_name_part(cert.issuer, "common_name") if cert is not None else "",
        signed_at=None,
        intact=False,
        unmodified=False,
        trusted=False,
        revoked=False,
        valid=False,
    )
    try:
        status = validate_pdf_signature(signature, context)
    except Exception as exc:
        logger.info("Signature %s could not be validated: %s", report.field, exc)
        return report
    report.signed_at = status.signer_reported_dt
    report.intact = bool(status.intact)
    report.valid = bool(status.valid)
    report.trusted = bool(status.trusted)
    report.revoked = bool(status.revoked)
    report.unmodified = bool(status.intact) and (
        bool(status.docmdp_ok) or status.modification_level is None
    )
    return report
