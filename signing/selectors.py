"""Reads of the signing app shared by several pages."""

from dataclasses import dataclass

from django.db.models import Q
from django.db.models.fields.files import FieldFile

from reports.models import Document, DocumentStatus
from signing.models import SignatureRequest, SignatureStatus
from workflow.roles import user_roles


def ready_for(user):
    """Signatures waiting for ``user`` now ("siap ditandatangani"), oldest first."""
    roles = list(user_roles(user))
    return (
        SignatureRequest.objects.ready()
        .filter(document__status=DocumentStatus.READY)
        .filter(Q(signer=user) | Q(signer__isnull=True, role__in=roles))
        .select_related("document__request")
        .order_by("created_at", "pk")
    )


@dataclass
class Record:
    """What the archive holds as a document's record: signed when every signature is there."""

    file: FieldFile
    sha256: str
    signed: bool  # every signature is there
    partly_signed: bool
    signatures: list[SignatureRequest]

    @property
    def needs_signatures(self) -> bool:
        return bool(self.signatures)

    @property
    def waiting(self) -> list[SignatureRequest]:
        return [s for s in self.signatures if s.status == SignatureStatus.PENDING]


def record_of(document: Document, signatures: list[SignatureRequest] | None = None) -> Record:
    if signatures is None:
        signatures = list(
            SignatureRequest.objects.filter(document=document)
            .select_related("signer", "signed_by")
            .order_by("order")
        )
    signed = [s for s in signatures if s.status == SignatureStatus.SIGNED]
    if signed:
        last = signed[-1]
        return Record(
            file=last.file,
            sha256=last.sha256,
            signed=len(signed) == len(signatures),
            partly_signed=len(signed) < len(signatures),
            signatures=signatures,
        )
    return Record(
        file=document.file,
        sha256=document.sha256,
        signed=False,
        partly_signed=False,
        signatures=signatures,
    )


def signatures_by_document(documents) -> dict[int, list[SignatureRequest]]:
    """Every document's signature requests in one query (for lists of documents)."""
    found: dict[int, list[SignatureRequest]] = {}
    rows = (
        SignatureRequest.objects.filter(document__in=[d.pk for d in documents])
        .select_related("signer", "signed_by")
        .order_by("document_id", "order")
    )
    for row in rows:
        found.setdefault(row.document_id, []).append(row)
    return found


def document_by_hash(digest: str) -> tuple[Document | None, str]:
    """The archived document a file is, and as what: ``record``, ``draft`` or ``partial``."""
    signature = (
        SignatureRequest.objects.filter(sha256=digest, status=SignatureStatus.SIGNED)
        .select_related("document")
        .first()
    )
    if signature is not None:
        later = SignatureRequest.objects.filter(
            document=signature.document_id, order__gt=signature.order
        ).exists()
        return signature.document, ("partial" if later else "record")
    doc = Document.objects.filter(sha256=digest, status=DocumentStatus.READY).first()
    if doc is None:
        return None, ""
    needs = SignatureRequest.objects.filter(document=doc).exists()
    return doc, ("draft" if needs else "record")
