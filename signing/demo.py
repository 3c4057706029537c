"""Demo signatures for ``seed_demo``: a demo CA, a certificate per official with the demo
passphrase, and a few documents signed (never in production: seed_demo refuses)."""

from reports import services as report_services
from reports.models import Document, DocumentKind, DocumentStatus
from signing import services
from signing.models import SignatureRequest, SignatureStatus, SignerCertificate
from signing.selectors import ready_for
from signing.signers import roles_for

DEMO_PASSPHRASE = "tte-demo-2026"
DEMO_NIPS = {
    "kasi": "198204152008012003",
    "kabid": "197711202003121005",
    "kadis": "196905121994031004",
    "prakom": "199103082019031002",
}


def seed_signatures(
    people: dict, *, decisions: list, reports: list, partial: list, waiting: int
) -> int:
    """Sign the decision of each proposal in ``decisions``; the approved report of each in
    ``reports`` by everyone; of each in ``partial`` by the Prakom and the Kasi only (the rest
    still waiting). Then every official signs what reached them earlier, keeping the
    ``waiting`` newest documents in their list. Documents are rendered here if the worker
    has not done it yet."""
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
    spared = set()
    for req in partial:
        doc = _document(req, DocumentKind.REPORT, "kadis_accept")
        signed += _sign(doc, people, limit=2)
        spared.add(doc.pk if doc else None)
    return signed + _sign_earlier(people, keep=waiting, spared=spared)


def _sign_earlier(people: dict, *, keep: int, spared: set) -> int:
    """Each official signs the documents waiting for them but the ``keep`` newest (and the
    ``spared`` ones), until a signature brings no earlier document to anyone's turn."""
    for doc in Document.objects.filter(status=DocumentStatus.PENDING).select_related(
        "log", "request"
    ):
        if roles_for(doc):
            report_services.document_render(document_id=doc.pk)
    signed = 0
    while True:
        made = 0
        for username in DEMO_NIPS:
            user = people[username]
            mine = sorted(
                (s for s in ready_for(user) if s.document_id not in spared),
                key=lambda s: (s.document.issued_at, s.document_id),
            )
            for signature in mine[: max(len(mine) - keep, 0)]:
                services.signature_sign(
                    actor=user, signature_id=signature.pk, passphrase=DEMO_PASSPHRASE
                )
                made += 1
        if not made:
            return signed
        signed += made


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
