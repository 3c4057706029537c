"""Which documents need whose signatures.

The kinds declare their signature blocks in ``reports.kinds.SPECS``; the officials among
them (Prakom, Kasi, Kabid, Kepala Dinas) sign electronically, in the declared order. The
requesting unit's blocks are signed on paper. Working papers (tanda terima, rancangan sistem,
catatan reviu, rekam jejak) are not signed: they carry the registration number, not a letter
number. The laporan is signed once, on the version the Kepala Dinas accepted (its lembar
pengesahan then carries every block). Kinds issued only by earlier versions fall back to
``FALLBACK``. A document dated before the office began signing electronically (the kop
surat's ``esign_since``) was signed on paper: it needs no electronic signature.
``signers_for(document)`` is the only reader.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from reports.kinds import SPECS
from reports.kinds import signers_for as kind_signers
from reports.models import Document, DocumentKind, Letterhead
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


OFFICIALS = frozenset({Role.PRAKOM, Role.KASI, Role.KABID, Role.KADIS})

# The kinds issued by earlier versions, still in the archive.
FALLBACK: dict[str, tuple[str, ...] | Callable[[Document], tuple[str, ...]]] = {
    DocumentKind.DISPOSITION: _actor_role,
    DocumentKind.DECISION: (Role.KADIS,),
    DocumentKind.PRESENTATION: (Role.KASI,),
    DocumentKind.REPORT: _approved_report,
    DocumentKind.SOCIALISATION: (Role.KASI,),
}


def signed_on_paper(doc: Document) -> bool:
    """Dated before the office's electronic signatures began (signed outside the system)."""
    since = Letterhead.load().esign_since
    return since is not None and timezone.localdate(doc.issued_at) < since


def roles_for(doc: Document) -> tuple[str, ...]:
    if signed_on_paper(doc):
        return ()
    spec = SPECS.get(doc.kind)
    if spec is None or spec.legacy:
        declared = FALLBACK.get(doc.kind, ())
        return tuple(declared(doc) if callable(declared) else declared)
    if not spec.letter and doc.kind != DocumentKind.KADIS_DISPOSITION:
        return ()  # a working paper
    if doc.kind == DocumentKind.REPORT:
        return _approved_report(doc)
    transition = getattr(doc.log, "transition", None)
    return tuple(slot.role for slot in kind_signers(doc.kind, transition) if slot.role in OFFICIALS)


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
