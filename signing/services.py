"""Writes of the signing app: the office CA, certificates, signature requests, signing."""

import datetime
import hashlib
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.models import Document, DocumentStatus, Letterhead
from signing import ca
from signing.backends import Appearance, SigningError, get_backend
from signing.models import (
    CertificateAuthority,
    SignatureRequest,
    SignatureStatus,
    SignerCertificate,
)
from signing.placement import placement_for
from signing.signers import signers_for
from workflow.roles import user_roles

logger = logging.getLogger(__name__)


class SignatureRefused(Exception):
    """Not signed, for a reason the signer can read (``message``)."""

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


def ca_passphrase() -> bytes:
    return (settings.SOPAPP_SIGNING_CA_PASSPHRASE or settings.SECRET_KEY).encode()


def crl_url() -> str:
    return settings.SOPAPP_PUBLIC_URL + reverse("signing:crl")


# --- the office CA -----------------------------------------------------------------


@transaction.atomic
def ca_init(*, name: str = "", replace: bool = False) -> CertificateAuthority:
    """Create the office's CA (once; ``replace`` makes a new one, which orphans old certs)."""
    existing = CertificateAuthority.objects.select_for_update().filter(pk=1).first()
    if existing is not None and not replace:
        return existing
    letterhead = Letterhead.load()
    name = name or f"CA {letterhead.agency_name}"[:64]
    cert_pem, key_pem = ca.make_ca(
        common_name=name, organization=letterhead.region_name, passphrase=ca_passphrase()
    )
    authority = CertificateAuthority(
        name=name, certificate_pem=cert_pem.decode(), key_pem=key_pem.decode()
    )
    authority.save()
    crl_publish(authority=authority)
    return authority


def _authority() -> CertificateAuthority:
    authority = CertificateAuthority.objects.filter(pk=1).first()
    if authority is None:
        raise SignatureRefused(
            "The office CA does not exist yet: run `manage.py signing_ca init` first."
        )
    return authority


def crl_publish(*, authority: CertificateAuthority | None = None) -> bytes:
    """Sign a fresh revocation list listing every revoked certificate."""
    authority = authority or _authority()
    revoked = [
        (int(serial, 16), when)
        for serial, when in SignerCertificate.objects.filter(revoked_at__isnull=False)
        .order_by("revoked_at")
        .values_list("serial", "revoked_at")
    ]
    number = authority.crl_number + 1
    der = ca.make_crl(
        ca_certificate_pem=authority.certificate_pem.encode(),
        ca_key_pem=authority.key_pem.encode(),
        ca_passphrase=ca_passphrase(),
        revoked=revoked,
        number=number,
    )
    CertificateAuthority.objects.filter(pk=1).update(
        crl_der=der, crl_number=number, crl_next_update=ca.crl_next_update(der)
    )
    return der


def current_crl() -> bytes | None:
    """The published CRL, signed afresh when it nears its next update."""
    authority = CertificateAuthority.objects.filter(pk=1).first()
    if authority is None:
        return None
    soon = timezone.now() + datetime.timedelta(days=1)
    if (
        not authority.crl_der
        or authority.crl_next_update is None
        or authority.crl_next_update < soon
    ):
        return crl_publish(authority=authority)
    return bytes(authority.crl_der)


@transaction.atomic
def certificate_issue(*, user, passphrase: str, years: int = 2) -> SignerCertificate:
    """Issue ``user`` a certificate protected by ``passphrase`` (kept nowhere but the PKCS#12).

    An unrevoked earlier certificate is revoked first (rotation).
    """
    if len(passphrase) < settings.SOPAPP_SIGNING_MIN_PASSPHRASE:
        raise SignatureRefused(
            f"The passphrase must be at least {settings.SOPAPP_SIGNING_MIN_PASSPHRASE} characters."
        )
    authority = _authority()
    for old in SignerCertificate.objects.select_for_update().filter(
        user=user, revoked_at__isnull=True
    ):
        _revoke(old, reason="diganti (rotasi)")
    name = user.get_full_name() or user.username
    issued = ca.issue(
        ca_certificate_pem=authority.certificate_pem.encode(),
        ca_key_pem=authority.key_pem.encode(),
        ca_passphrase=ca_passphrase(),
        name=name,
        nip=user.nip,
        organization=Letterhead.load().region_name,
        crl_url=crl_url(),
        passphrase=passphrase.encode(),
        years=years,
    )
    certificate = SignerCertificate(
        user=user,
        serial=f"{issued.serial:x}",
        subject_name=name[:64],
        nip=user.nip,
        certificate_pem=issued.certificate_pem.decode(),
        not_after=issued.not_after,
    )
    certificate.pkcs12.save("certificate.p12", ContentFile(issued.pkcs12), save=False)
    certificate.save()
    if SignerCertificate.objects.filter(user=user, revoked_at__isnull=False).exists():
        transaction.on_commit(crl_publish)
    return certificate


def _revoke(certificate: SignerCertificate, *, reason: str) -> None:
    certificate.revoked_at = timezone.now()
    certificate.revocation_reason = reason[:200]
    certificate.save(update_fields=["revoked_at", "revocation_reason"])


@transaction.atomic
def certificate_revoke(*, certificate_id: int, reason: str = "") -> bool:
    """Revoke a certificate and publish the new CRL; False when it was revoked already."""
    certificate = SignerCertificate.objects.select_for_update().get(pk=certificate_id)
    if certificate.revoked_at is not None:
        return False
    _revoke(certificate, reason=reason or "dicabut oleh administrator")
    crl_publish()
    return True


# --- signature requests ------------------------------------------------------------


def document_rendered(document: Document) -> list[SignatureRequest]:
    """Create the signature requests a freshly rendered document needs (idempotent).

    Called once after a successful render; a failure here never fails the render.
    """
    try:
        with transaction.atomic():
            if SignatureRequest.objects.filter(document=document).exists():
                return []
            doc = Document.objects.select_related("log", "request").get(pk=document.pk)
            created = [
                SignatureRequest.objects.create(
                    document=doc, order=order, role=spec.role, signer_id=spec.user_id
                )
                for order, spec in enumerate(signers_for(doc), start=1)
            ]
    except IntegrityError:  # created at this moment by another worker
        return []
    except Exception:
        logger.exception("Could not create the signature requests of document %s", document.pk)
        return []
    return created


def may_sign(user, signature: SignatureRequest) -> bool:
    if signature.signer_id is not None:
        return signature.signer_id == user.pk
    return signature.role in user_roles(user)


def current_file(document: Document):
    """(file, sha256) of the document as it stands: the latest signed version, else the render."""
    latest = (
        SignatureRequest.objects.filter(document=document, status=SignatureStatus.SIGNED)
        .order_by("-order")
        .first()
    )
    if latest is not None:
        return latest.file, latest.sha256
    return document.file, document.sha256


def appearance_for(signature: SignatureRequest, user, pdf: bytes) -> Appearance:
    """The visible box of ``signature``: over its signer's printed block in ``pdf``."""
    from reports.documents.base import Signers

    doc = signature.document
    nth = 1 + sum(
        1
        for role, order in SignatureRequest.objects.filter(document=doc).values_list(
            "role", "order"
        )
        if role == signature.role and order < signature.order
    )
    where = placement_for(pdf, doc, role=signature.role, order=signature.order, nth=nth)
    return Appearance(
        position=Signers().title(signature.role),
        name=user.get_full_name() or user.username,
        nip=user.nip,
        qr_url=doc.verify_url,
        page=where.page,
        box=where.box,
        location=Letterhead.load().city,
    )


ATTEMPTS = 3


def signature_sign(*, actor, signature_id: int, passphrase: str) -> SignatureRequest:
    """Sign one pending signature of a document with the actor's passphrase, in this request.

    The passphrase goes to the backend and nowhere else. Signing happens outside any
    transaction (the BSrE call may take seconds); the result is stored only if the document
    has not moved meanwhile — otherwise the newer version is signed again (a few times).
    Raises SignatureRefused (not your turn, already signed) or SigningError (the backend).
    """
    backend = get_backend()
    for _attempt in range(ATTEMPTS):
        signature = SignatureRequest.objects.select_related("document").get(pk=signature_id)
        doc = signature.document
        if signature.is_signed:
            raise SignatureRefused(_("Dokumen ini sudah Anda tandatangani."))
        if not may_sign(actor, signature):
            raise SignatureRefused(_("Anda tidak berwenang menandatangani dokumen ini."))
        if doc.status != DocumentStatus.READY:
            raise SignatureRefused(_("Dokumen belum selesai dibuat."))
        if not SignatureRequest.objects.ready().filter(pk=signature.pk).exists():
            raise SignatureRefused(_("Penanda tangan sebelumnya belum menandatangani dokumen ini."))
        source, base_sha = current_file(doc)
        with source.open("rb") as handle:
            pdf = handle.read()
        if hashlib.sha256(pdf).hexdigest() != base_sha:
            raise SigningError(detail=f"archived file of document {doc.pk} does not match its hash")
        signed = backend.sign(
            pdf,
            user=actor,
            passphrase=passphrase,
            field_name=signature.field_name,
            appearance=appearance_for(signature, actor, pdf),
        )
        digest = hashlib.sha256(signed).hexdigest()
        storage = SignatureRequest._meta.get_field("file").storage
        name = storage.save(
            SignatureRequest._meta.get_field("file").generate_filename(signature, "signed.pdf"),
            ContentFile(signed),
        )
        with transaction.atomic():
            rows = list(
                SignatureRequest.objects.select_for_update().filter(document=doc).order_by("order")
            )
            _file, now_sha = current_file(doc)
            mine = next(row for row in rows if row.pk == signature.pk)
            if now_sha == base_sha and not mine.is_signed:
                SignatureRequest.objects.filter(pk=mine.pk, status=SignatureStatus.PENDING).update(
                    status=SignatureStatus.SIGNED,
                    signed_by=actor,
                    signed_at=timezone.now(),
                    backend=backend.name,
                    file=name,
                    sha256=digest,
                )
                logger.info("Document %s signed (#%s)", doc.pk, mine.order)
                return SignatureRequest.objects.get(pk=mine.pk)
        storage.delete(name)
    raise SignatureRefused(_("Dokumen sedang ditandatangani orang lain. Silakan coba lagi."))
