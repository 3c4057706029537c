"""Where a signer's visible box goes: over the signing space of their printed block.

The PDF templates leave a signing space above each signer's printed name and anchor the
numbered ones (the block's place in ``reports.kinds.SPECS[kind].signers``, from 1) as
PDF named destinations: ``ttd-N`` at its top left, ``ttd-N-end`` at its bottom right
(WeasyPrint writes an element's ``id`` as a destination). The box is drawn over that
rectangle, on the page the block stands on. Documents rendered before the anchors
existed, and kinds issued only by earlier versions, fall back to boxes just above the
footer of the last page.
"""

import io
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from reports.kinds import SPECS
from reports.kinds import signers_for as kind_signers
from reports.models import Document

ANCHOR = "ttd-{slot}"
ANCHOR_END = "ttd-{slot}-end"

# The fallback: boxes of 170 × 60 pt, three to a row, from just above the page footer
# upwards (the footer with its QR code takes the bottom ~120 pt of every page).
FALLBACK_BOTTOM = 130
FALLBACK_SIZE = (170, 60)
PER_ROW = 3


@dataclass(frozen=True)
class Placement:
    page: int  # 0-based; -1 is the last page
    box: tuple[int, int, int, int]  # x1, y1, x2, y2 in points, origin bottom-left
    anchored: bool  # found over the signer's printed block


def slot_of(doc: Document, role: str, nth: int = 1) -> int | None:
    """The printed block (1-based slot) of the ``nth`` signature by ``role`` on ``doc``."""
    if doc.kind not in SPECS:
        return None
    transition = getattr(doc.log, "transition", None)
    seen = 0
    # Kinds issued only by earlier versions declare no slots: never anchored.
    for number, slot in enumerate(kind_signers(doc.kind, transition), start=1):
        if slot.role == role:
            seen += 1
            if seen == nth:
                return number
    return None


def _page_index(reader: PdfReader, page_ref) -> int | None:
    target = getattr(page_ref, "idnum", None)
    for index, page in enumerate(reader.pages):
        if page.indirect_reference is not None and page.indirect_reference.idnum == target:
            return index
    return None


def find_block(pdf: bytes, slot: int) -> Placement | None:
    """The signing space of block ``slot`` in ``pdf``, or None when it is not anchored."""
    try:
        reader = PdfReader(io.BytesIO(pdf))
        destinations = reader.named_destinations
        start = destinations.get(ANCHOR.format(slot=slot))
        end = destinations.get(ANCHOR_END.format(slot=slot))
        if start is None or end is None:
            return None
        page = _page_index(reader, start.page)
        if page is None or page != _page_index(reader, end.page):
            return None
        x1, y2, x2, y1 = (
            float(value) if value is not None else None
            for value in (start.left, start.top, end.left, end.top)
        )
        if x1 is None or y1 is None or x2 is None or y2 is None:
            return None
    except (PyPdfError, KeyError, TypeError, ValueError, AttributeError):
        return None
    if x2 - x1 < 60 or y2 - y1 < 30:  # not a usable space (a changed stylesheet)
        return None
    return Placement(page=page, box=(round(x1), round(y1), round(x2), round(y2)), anchored=True)


def fallback(order: int) -> Placement:
    column, row = (order - 1) % PER_ROW, (order - 1) // PER_ROW
    width, height = FALLBACK_SIZE
    x1 = 40 + column * (width + 5)
    y1 = FALLBACK_BOTTOM + row * (height + 6)
    return Placement(page=-1, box=(x1, y1, x1 + width, y1 + height), anchored=False)


def placement_for(pdf: bytes, doc: Document, *, role: str, order: int, nth: int = 1) -> Placement:
    """Where the box of the ``order``-th signature (``role``'s ``nth``) on ``doc`` goes."""
    slot = slot_of(doc, role, nth)
    found = find_block(pdf, slot) if slot is not None else None
    return found or fallback(order)
