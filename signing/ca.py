"""The office's own certificate authority (the ``local`` signer backend).

Pure cryptography, no database: make a CA, issue an official's certificate as an
encrypted PKCS#12, and sign a revocation list. The database side is in ``signing.models``
and ``signing.services``.
"""

import datetime
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

KEY_SIZE = 2048


@dataclass
class IssuedCertificate:
    serial: int
    certificate_pem: bytes
    pkcs12: bytes
    not_after: datetime.datetime


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def make_ca(
    *, common_name: str, organization: str, passphrase: bytes, years: int = 10
) -> tuple[bytes, bytes]:
    """A self-signed root: (certificate PEM, private key PEM encrypted with ``passphrase``)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization[:64]),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]),
        ]
    )
    now = _now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase),
    )
    return cert.public_bytes(serialization.Encoding.PEM), key_pem


def load_ca(certificate_pem: bytes, key_pem: bytes, passphrase: bytes):
    cert = x509.load_pem_x509_certificate(certificate_pem)
    key = serialization.load_pem_private_key(key_pem, password=passphrase)
    return cert, key


def issue(
    *,
    ca_certificate_pem: bytes,
    ca_key_pem: bytes,
    ca_passphrase: bytes,
    name: str,
    nip: str,
    organization: str,
    crl_url: str,
    passphrase: bytes,
    years: int = 2,
) -> IssuedCertificate:
    """An official's signing certificate (CN = name, serialNumber = NIP) as PKCS#12.

    Key usage includes non-repudiation (content commitment), which pyHanko's signer asks
    for; the CRL distribution point is the app's own revocation list, so validators that
    only check revocation when a certificate names a CRL still check it.
    """
    ca_cert, ca_key = load_ca(ca_certificate_pem, ca_key_pem, ca_passphrase)
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization[:64]),
        x509.NameAttribute(NameOID.COMMON_NAME, name[:64]),
    ]
    if nip:
        attributes.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, nip[:64]))
    now = _now()
    not_after = min(now + datetime.timedelta(days=365 * years), ca_cert.not_valid_after_utc)
    serial = x509.random_serial_number()
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name(attributes))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .add_extension(
            x509.CRLDistributionPoints(
                [
                    x509.DistributionPoint(
                        full_name=[x509.UniformResourceIdentifier(crl_url)],
                        relative_name=None,
                        reasons=None,
                        crl_issuer=None,
                    )
                ]
            ),
            critical=False,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    bundle = pkcs12.serialize_key_and_certificates(
        name=name[:64].encode(),
        key=key,
        cert=cert,
        cas=[ca_cert],
        encryption_algorithm=serialization.BestAvailableEncryption(passphrase),
    )
    return IssuedCertificate(
        serial=serial,
        certificate_pem=cert.public_bytes(serialization.Encoding.PEM),
        pkcs12=bundle,
        not_after=not_after,
    )


def make_crl(
    *,
    ca_certificate_pem: bytes,
    ca_key_pem: bytes,
    ca_passphrase: bytes,
    revoked: list[tuple[int, datetime.datetime]],
    number: int,
    valid_for: datetime.timedelta = datetime.timedelta(days=7),
) -> bytes:
    """A DER CRL listing ``revoked`` (serial, when)."""
    ca_cert, ca_key = load_ca(ca_certificate_pem, ca_key_pem, ca_passphrase)
    now = _now()
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca_cert.subject)
        .last_update(now - datetime.timedelta(minutes=5))
        .next_update(now + valid_for)
        .add_extension(x509.CRLNumber(number), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()),
            critical=False,
        )
    )
    for serial, when in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(when).build()
        )
    return builder.sign(ca_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def crl_next_update(crl_der: bytes) -> datetime.datetime | None:
    return x509.load_der_x509_crl(crl_der).next_update_utc
