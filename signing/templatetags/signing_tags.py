from django import template
from django.conf import settings

from reports.models import Letterhead
from signing.models import CertificateAuthority, SignatureRequest, SignatureStatus
from signing.services import may_sign
from signing.signers import roles_for
from workflow.rows import Part
from workflow.rows import fetch as rows_of

register = template.Library()


@register.inclusion_tag("signing/_waiting.html", takes_context=True)
def signatures_waiting(context, req) -> dict:
    """Who still has to sign this proposal's documents (one query)."""
    user = context["request"].user
    rows = rows_of(_waiting_parts, req.pk)["waiting"]
    first_pending: dict[int, int] = {}
    for row in rows:
        first_pending.setdefault(row.document_id, row.order)
    waiting = [
        {
            "signature": row,
            "turn": first_pending[row.document_id] == row.order,
            "mine": first_pending[row.document_id] == row.order and may_sign(user, row),
        }
        for row in rows
    ]
    return {"waiting": waiting, "request": context["request"]}


def _waiting_parts(proposal_id: int) -> dict[str, Part]:
    return {
        "waiting": Part(
            SignatureRequest.objects.filter(
                document__request_id=proposal_id, status=SignatureStatus.PENDING
            ),
            ("document", "order", "role", "signer", "status"),
            {
                "document": ("title", "number", "created_at", "status"),  # from_db reads status
                "signer": ("first_name", "last_name", "username"),
            },
            order=("document__created_at", "document_id", "order"),
        )
    }


@register.simple_tag
def esign_notice(doc) -> str:
    """The customary footer of a document signed electronically, naming the certificates'
    issuer; empty for a document nobody signs electronically (a working paper)."""
    if doc is None or not getattr(doc, "pk", None) or not roles_for(doc):
        return ""
    return (
        "Dokumen ini telah ditandatangani secara elektronik menggunakan sertifikat "
        f"elektronik yang diterbitkan oleh {certificate_issuer()}."
    )


def certificate_issuer() -> str:
    """BSrE, or the office's own certification authority (its name in the certificates)."""
    if settings.SOPAPP_SIGNER == "bsre":
        return "BSrE"
    name = CertificateAuthority.objects.filter(pk=1).values_list("name", flat=True).first()
    name = name or f"CA {Letterhead.load().agency_name}"[:64]
    return f"{name} (otoritas sertifikat elektronik instansi sendiri)"
