"""What each kind of document is: a numbered letter or a working paper, and who signs it.

Read by the renderer (numbering, signature blocks) and by whatever later signs the
documents electronically: ``SPECS[kind].signers`` lists the roles that sign, in signing
order, with where each block stands. A slot whose role depends on the checkpoint (the
nota dinas goes Kasi → Kabid, then Kabid → Kepala Dinas) is resolved by ``signers_for``.

Indonesian words kept: *nota dinas* (upward internal memo), *lembar disposisi*
(downward routing slip), *surat* (letter), *undangan* (invitation), *berita acara*
(minutes), *laporan* (report), *lembar pengesahan* (sign-off page), *serah terima*
(handover), *Mengetahui* (acknowledged by the superior).
"""

from dataclasses import dataclass

from reports.models import DocumentKind
from workflow.states import Role

# Default archive classification code (Permendagri 83/2022) of the letters: the subject is
# information technology (urusan komunikasi dan informatika). Editable per kind.
DEFAULT_CLASSIFICATION = "500.12"
DEFAULT_PATTERN = "{code}/{seq}/DISKOMINFO/{year}"


class Place:
    """Where a signature block stands (for a visible electronic signature)."""

    LAST_PAGE_RIGHT = "last_page_right"
    LAST_PAGE_LEFT = "last_page_left"
    LAST_PAGE_CENTER = "last_page_center"
    SIGN_OFF_PAGE = "sign_off_page"  # the laporan's lembar pengesahan, in slot order


@dataclass(frozen=True)
class SignerSlot:
    role: str  # a workflow Role, or "unit" for the requesting unit's side (not a user here)
    label: str  # the words above the jabatan as printed
    place: str = Place.LAST_PAGE_RIGHT


@dataclass(frozen=True)
class KindSpec:
    kind: str
    letter: bool  # takes a letter number; working papers carry the registration number
    signers: tuple[SignerSlot, ...] = ()
    # Academic titles in the signature name (the per-kind admin setting starts from this).
    academic_titles: bool = True
    legacy: bool = False  # issued by earlier versions only; kept for their previews


_RIGHT, _LEFT, _CENTER = Place.LAST_PAGE_RIGHT, Place.LAST_PAGE_LEFT, Place.LAST_PAGE_CENTER
_SIGN_OFF = Place.SIGN_OFF_PAGE

SPECS: dict[str, KindSpec] = {
    spec.kind: spec
    for spec in (
        KindSpec(
            DocumentKind.RECEIPT,
            letter=False,
            signers=(
                SignerSlot(Role.PEMOHON, "Yang menyerahkan,", _LEFT),
                SignerSlot(Role.KASI, "Yang menerima,", _RIGHT),
            ),
        ),
        KindSpec(
            DocumentKind.NOTA_DINAS,
            letter=True,
            signers=(SignerSlot("sender", "", _RIGHT),),  # Kasi or Kabid: see signers_for
        ),
        KindSpec(
            DocumentKind.KADIS_DISPOSITION,
            letter=False,
            signers=(SignerSlot(Role.KADIS, "", _RIGHT),),
        ),
        KindSpec(
            DocumentKind.LETTER,
            letter=True,
            signers=(SignerSlot(Role.KADIS, "", _RIGHT),),
        ),
        KindSpec(
            DocumentKind.INVITATION,
            letter=True,
            signers=(SignerSlot(Role.KADIS, "", _RIGHT),),
        ),
        KindSpec(
            DocumentKind.DESIGN, letter=False, signers=(SignerSlot(Role.PRAKOM, "Penyusun,"),)
        ),
        KindSpec(
            DocumentKind.PRESENTATION,
            letter=True,
            signers=(
                SignerSlot("unit", "Perwakilan pengguna,", _LEFT),
                SignerSlot(Role.PRAKOM, "Penyaji,", _RIGHT),
                SignerSlot(Role.KASI, "Mengetahui,", _CENTER),
            ),
        ),
        KindSpec(
            DocumentKind.REVIEW, letter=False, signers=(SignerSlot(Role.PRAKOM, "Penyusun,"),)
        ),
        KindSpec(
            DocumentKind.REPORT,
            letter=True,
            signers=(
                SignerSlot(Role.PRAKOM, "Disusun oleh", _SIGN_OFF),
                SignerSlot(Role.KASI, "Diperiksa oleh", _SIGN_OFF),
                SignerSlot(Role.KABID, "Diperiksa oleh", _SIGN_OFF),
                SignerSlot(Role.KADIS, "Disetujui / Mengetahui", _SIGN_OFF),
            ),
        ),
        KindSpec(
            DocumentKind.SOCIALISATION,
            letter=True,
            signers=(
                SignerSlot("unit", "Perwakilan pengguna,", _LEFT),
                SignerSlot(Role.PRAKOM, "Pelaksana sosialisasi,", _RIGHT),
                SignerSlot(Role.KASI, "Mengetahui,", _CENTER),
            ),
        ),
        KindSpec(
            DocumentKind.HANDOVER,
            letter=True,
            signers=(
                SignerSlot("unit", "PIHAK KEDUA,", _LEFT),
                SignerSlot(Role.KASI, "PIHAK PERTAMA,", _RIGHT),
            ),
        ),
        KindSpec(DocumentKind.RECORD, letter=False),
        KindSpec(DocumentKind.DECISION, letter=True, legacy=True),
        KindSpec(DocumentKind.DISPOSITION, letter=True, legacy=True),
    )
}

LETTER_KINDS = frozenset(kind for kind, spec in SPECS.items() if spec.letter and not spec.legacy)

# The nota dinas is written by whoever forwards the proposal upward.
NOTA_DINAS_SENDER = {"forward_to_kabid": Role.KASI, "forward_to_kadis": Role.KABID}
NOTA_DINAS_ADDRESSEE = {"forward_to_kabid": Role.KABID, "forward_to_kadis": Role.KADIS}


def signers_for(kind: str, transition: str | None = None) -> tuple[SignerSlot, ...]:
    """The signer slots of a document of ``kind`` issued at ``transition``, roles resolved."""
    slots = SPECS[kind].signers
    if kind == DocumentKind.NOTA_DINAS and transition in NOTA_DINAS_SENDER:
        return tuple(
            SignerSlot(NOTA_DINAS_SENDER[transition], s.label, s.place) if s.role == "sender" else s
            for s in slots
        )
    return slots
