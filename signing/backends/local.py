"""Sign with the official's own certificate from the office's CA (PKCS#12 in storage)."""

import io

from django.utils import timezone
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers

from signing.backends.base import Appearance, NotRegistered, SigningError, WrongPassphrase
from signing.models import SignerCertificate
from signing.stamp import stamp_style, stamp_text_params


def last_page_index(pdf: bytes) -> int:
    return int(PdfFileReader(io.BytesIO(pdf), strict=False).root["/Pages"]["/Count"]) - 1


def pades_sign(
    pdf: bytes, signer: signers.Signer, *, field_name: str, appearance: Appearance
) -> bytes:
    """One incremental PAdES signature (B-B: signing time, the chain embedded)."""
    page = appearance.page if appearance.page >= 0 else last_page_index(pdf)
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        location=appearance.location or None,
        name=appearance.name or None,
    )
    spec = fields.SigFieldSpec(
        sig_field_name=field_name,
        on_page=page,
        box=appearance.box if appearance.visible else None,
    )
    pdf_signer = signers.PdfSigner(
        meta,
        signer,
        stamp_style=stamp_style() if appearance.visible else None,
        new_field_spec=spec,
    )
    out = pdf_signer.sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False),
        appearance_text_params=stamp_text_params(appearance) if appearance.visible else None,
    )
    return out.getvalue()


class LocalSigner:
    name = "local"

    def sign(
        self, pdf: bytes, *, user, passphrase: str, field_name: str, appearance: Appearance
    ) -> bytes:
        certificate = (
            SignerCertificate.objects.active().filter(user=user).order_by("-issued_at").first()
        )
        if certificate is None:
            raise NotRegistered()
        try:
            with certificate.pkcs12.open("rb") as handle:
                bundle = handle.read()
        except OSError as exc:
            raise NotRegistered(detail=f"certificate file missing: {exc}") from None
        try:
            signer = signers.SimpleSigner.load_pkcs12_data(
                bundle, other_certs=[], passphrase=passphrase.encode()
            )
        except ValueError:
            raise WrongPassphrase() from None
        if certificate.not_after <= timezone.now():
            raise NotRegistered()
        try:
            return pades_sign(pdf, signer, field_name=field_name, appearance=appearance)
        except Exception as exc:
            raise SigningError(detail=f"{type(exc).__name__}: {exc}") from exc
