"""Which documents need whose signatures.

A document kind declares its signers as ``SIGNER_ROLES`` in its module under
``reports/documents/`` — a tuple of role codes in signing order, or a callable taking the
document and returning one. Kinds that declare nothing fall back to ``FALLBACK``, the
mapping for the kinds the archive has today. ``signers_for(document)`` is the only reader.
"""

from collections.abc import Callable
from dataclasses import dataclass

from reports.documents import MODULES
from reports.models import Document, DocumentKind
from workflow.states import Role


@dataclass(frozen=True)
class SignerSpec:
    role: str
    user_id: int | None = None  # the one person who must sign, when known


def _actor_role(doc: Document) -> tuple[str, ...]:
    # A routing slip is signed by whoever wrote it (Kasi forwarding, Kabid forwarding …).
    role = getattr(doc.log, "role", "")
    return (role,) if role in (Role.KASI, Role.KABID, Role.KADIS) else ()


def _approved_report(doc: Document) -> tuple[str, ...]:
    # The lembar pengesahan: only the report the Kepala Dinas accepted is the final one.
    if getattr(doc.log, "transition", "") != "kadis_accept":
        return ()
    return (Role.PRAKOM, Role.KASI, Role.KABID, Role.KADIS)


# Working papers (tanda terima, rancangan sistem, catatan reviu, rekam jejak) are not
# signed: they carry the registration number, not a letter number.
FALLBACK: dict[str, tuple[str, ...] | Callable[[Document], tuple[str, ...]]] = {
    DocumentKind.DISPOSITION: _actor_role,
    DocumentKind.DECISION: (Role.KADIS,),
    DocumentKind.PRESENTATION: (Role.KASI,),
    DocumentKind.REPORT: _approved_report,
    DocumentKind.SOCIALISATION: (Role.KASI,),
}


def roles_for(doc: Document) -> tuple[str, ...]:
    module = MODULES.get(doc.kind)
    declared = getattr(module, "SIGNER_ROLES", None)
    if declared is None:
        declared = FALLBACK.get(doc.kind, ())
    return tuple(declared(doc) if callable(declared) else declared)


def signers_for(doc: Document) -> list[SignerSpec]:
    """The signatures ``doc`` needs, in order, with the person when the workflow names one.

    A role is bound to a person when the document's transition was taken by that role (the
    Kepala Dinas who decided signs the decision), or for Prakom, to the assigned Prakom;
    otherwise whoever holds the role (or stands in for it) when signing may sign.
    """
    specs = []
    log = doc.log
    for role in roles_for(doc):
        user_id = None
        if log is not None and log.role == role and doc.requested_by_id is None:
            user_id = log.actor_id
        elif role == Role.PRAKOM:
            user_id = doc.request.assigned_prakom_id
        specs.append(SignerSpec(role=role, user_id=user_id))
    return specs
