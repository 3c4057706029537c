"""Demo signatures for ``seed_demo``: a demo CA, a certificate per official with the demo
passphrase, and a few documents signed (never in production: seed_demo refuses)."""

from reports import services as report_services
from reports.models import Document, DocumentKind, DocumentStatus
from signing import services
from signing.models import SignatureRequest, SignatureStatus, SignerCertificate

DEMO_PASSPHRASE = "tte-demo-2026"
DEMO_NIPS = {
    "kasi": "198204152008012003",
    "kabid": "197711202003121005",
    "kadis": "196905121994031004",
    "prakom": "199103082019031002",
}


def seed_signatures(people: dict, *, decisions: list, reports: list, partial: list) -> int:
    """Sign the decision of each proposal in ``decisions``; the approved report of each in
    ``reports`` by everyone; of each in ``partial`` by the Prakom and the Kasi only (the rest
    still waiting). Documents are rendered here if the worker has not done it yet."""
    services.ca_init(name="CA Demo Diskominfo")
    for username, nip in DEMO_NIPS.items():
        user = people[username]
        if not user.nip:
            user.nip = nip
            user.save(update_fields=["nip"])
        if not SignerCertificate.objects.active().filter(user=user).exists():
            services.certificate_issue(user=user, passphrase=DEMO_PASSPHRASE)
    signed = 0
    for req in decisions:
        signed += _sign(_document(req, DocumentKind.LETTER), people, limit=None)
    for req in reports:
        signed += _sign(_document(req, DocumentKind.REPORT, "kadis_accept"), people, limit=None)
    for req in partial:
        signed += _sign(_document(req, DocumentKind.REPORT, "kadis_accept"), people, limit=2)
    return signed


def _document(req, kind: str, transition: str = "") -> Document | None:
    documents = Document.objects.filter(request=req, kind=kind, requested_by__isnull=True)
    if transition:
        documents = documents.filter(log__transition=transition)
    doc = documents.order_by("-pk").first()
    if doc is not None and doc.status != DocumentStatus.READY:
        doc = report_services.document_render(document_id=doc.pk)
    return doc


def _sign(doc: Document | None, people: dict, *, limit: int | None) -> int:
    if doc is None or doc.status != DocumentStatus.READY:
        return 0
    signatures = SignatureRequest.objects.filter(document=doc).order_by("order")
    count = 0
    for signature in signatures[:limit] if limit else signatures:
        if signature.status == SignatureStatus.SIGNED:
            continue
        signer = signature.signer or people[signature.role]
        services.signature_sign(actor=signer, signature_id=signature.pk, passphrase=DEMO_PASSPHRASE)
        count += 1
    return count
