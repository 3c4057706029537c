"""The visible signature box, in the form BSSN recommends, and the unsigned-draft mark."""

import io

import segno
from pyhanko.pdf_utils.layout import LayoutError
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.pdf_utils.writer import init_xobject_dictionary
from pyhanko.stamp import QRStampStyle
from pyhanko.stamp.qr import QRStamp
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
)

from signing.backends.base import Appearance

DRAFT_MARK = "BELUM DITANDATANGANI SECARA ELEKTRONIK"


def _latin1(text: str) -> str:
    # The stamp uses a PDF base font (fast, always present), which knows Latin-1 only.
    return text.encode("latin-1", "replace").decode("latin-1")


QR_BORDER = 2


class SegnoQRStamp(QRStamp):
    """pyHanko's QR stamp with the code drawn by segno (already a dependency) instead of
    the ``qrcode`` package pyHanko would import."""

    def _qr_xobject(self):
        matrix = segno.make(self.url, error="m", micro=False).matrix
        size = len(matrix)
        commands = [b"0 0 0 rg"]
        for row_index, row in enumerate(matrix):
            y = size - row_index - 1 + QR_BORDER
            for col_index, dark in enumerate(row):
                if dark:
                    commands.append(b"%d %d 1 1 re" % (col_index + QR_BORDER, y))
        commands.append(b"f")
        bbox_size = size + 2 * QR_BORDER
        xobject = init_xobject_dictionary(b"\n".join(commands), bbox_size, bbox_size)
        xobject.compress()
        return self.writer.add_object(xobject), bbox_size


class SegnoQRStampStyle(QRStampStyle):
    def create_stamp(self, writer, box, text_params):
        try:
            url = text_params.pop("url")
        except KeyError:
            raise LayoutError("A QR stamp needs a 'url' text parameter.") from None
        return SegnoQRStamp(writer, style=self, url=url, text_params=text_params, box=box)


def stamp_style() -> QRStampStyle:
    return SegnoQRStampStyle(
        stamp_text="%(heading)s\n%(position)s\n%(name)s\n%(nip)s\n%(ts)s",
        timestamp_format="%d-%m-%Y %H:%M:%S %Z",
        text_box_style=TextBoxStyle(font_size=7),
        border_width=1,
        background=None,
    )


def stamp_text_params(appearance: Appearance) -> dict:
    return {
        "heading": "Ditandatangani secara elektronik oleh:",
        "position": _latin1(appearance.position)[:60],
        "name": _latin1(appearance.name)[:60],
        "nip": f"NIP. {appearance.nip}" if appearance.nip else "",
        "url": appearance.qr_url,
    }


def _escape(text: str) -> bytes:
    raw = _latin1(text).encode("latin-1")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def mark_unsigned(pdf: bytes) -> bytes:
    """The draft with "belum ditandatangani secara elektronik" across the top of every page."""
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica-Bold"),
        }
    )
    font_ref = writer._add_object(font)
    for page in writer.pages:
        box = page.mediabox
        width, top = float(box.width), float(box.top)
        text = _escape(DRAFT_MARK)
        size = 9
        x = max(10.0, (width - len(DRAFT_MARK) * size * 0.7) / 2)
        frame_width = len(DRAFT_MARK) * size * 0.7 + 12
        content = (
            b"q 0.85 0.1 0.1 rg 0.85 0.1 0.1 RG 0.8 w "
            + f"{x - 6:.1f} {top - 22:.1f} {frame_width:.1f} 15 re S ".encode()
            + b"BT /SopDraftMark "
            + str(size).encode()
            + b" Tf "
            + f"{x:.1f} {top - 17.5:.1f}".encode()
            + b" Td ("
            + text
            + b") Tj ET Q"
        )
        stream = DecodedStreamObject()
        stream.set_data(content)
        if "/Resources" not in page:
            page[NameObject("/Resources")] = DictionaryObject()
        resources = page["/Resources"].get_object()
        assert isinstance(resources, DictionaryObject)
        if "/Font" not in resources:
            resources[NameObject("/Font")] = DictionaryObject()
        fonts = resources["/Font"].get_object()
        assert isinstance(fonts, DictionaryObject)
        fonts[NameObject("/SopDraftMark")] = font_ref
        stream_ref = writer._add_object(stream)
        existing = page.get("/Contents")
        items = []
        if existing is not None:
            resolved = existing.get_object()
            items = list(resolved) if isinstance(resolved, ArrayObject) else [existing]
        # The page's own drawing is wrapped in q … Q so whatever transform it leaves
        # behind does not move the mark.
        save, restore = DecodedStreamObject(), DecodedStreamObject()
        save.set_data(b"q\n")
        restore.set_data(b"\nQ\n")
        page[NameObject("/Contents")] = ArrayObject(
            [writer._add_object(save), *items, writer._add_object(restore), stream_ref]
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
