from django import template

from signing.models import SignatureRequest, SignatureStatus
from signing.services import may_sign

register = template.Library()


@register.inclusion_tag("signing/_waiting.html", takes_context=True)
def signatures_waiting(context, req) -> dict:
    """Who still has to sign this proposal's documents (one query)."""
    user = context["request"].user
    rows = list(
        SignatureRequest.objects.filter(document__request=req, status=SignatureStatus.PENDING)
        .select_related("document", "signer")
        .order_by("document__created_at", "document_id", "order")
    )
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
