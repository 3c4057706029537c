"""Refusing uploads that could act on the computer of the official who opens them.

An office document may carry macros, OLE objects or ActiveX controls, or make the office
program fetch something from elsewhere (a remote template, an external image or frame, a
link to another workbook); a PDF may carry JavaScript, actions that run on opening or start
another program, or whole files inside it. Such uploads are refused with a message saying
why, so that the sender can save a clean copy.

The checks read the structure the programs read: the package's parts, content types and
relationships for DOCX/XLSX/PPTX (also of packages embedded in them), and every object of
a PDF through pypdf (so names written with ``#xx`` escapes and objects inside compressed
object streams are seen), plus a scan of the PDF's bytes outside its streams in case a
damaged file parses differently in a viewer.
"""

import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from typing import IO
from xml.etree import ElementTree
from xml.parsers import expat

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

MESSAGES = {
    "office_macro": _(
        "Dokumen Office ini berisi makro (VBA atau makro Excel 4.0) yang dapat menjalankan "
        "program di komputer pembacanya. Simpan sebagai dokumen tanpa makro lalu unggah lagi."
    ),
    "office_ole": _(
        "Dokumen Office ini berisi objek OLE tertanam (misalnya paket atau berkas lain di "
        "dalam dokumen) yang dapat menjalankan program saat dibuka. Hapus objek itu lalu "
        "unggah lagi."
    ),
    "office_activex": _(
        "Dokumen Office ini berisi kontrol ActiveX yang dapat menjalankan program saat "
        "dibuka. Hapus kontrol itu lalu unggah lagi."
    ),
    "office_external": _(
        "Dokumen Office ini mengambil isi dari luar berkas (templat jarak jauh, gambar, "
        "bingkai, koneksi data atau tautan ke berkas lain) saat dibuka. Hapus rujukan "
        "eksternal itu lalu unggah lagi; tautan biasa ke alamat web (http/https) atau e-mail "
        "boleh."
    ),
    "office_dde": _(
        "Dokumen Office ini berisi kolom DDE yang dapat menjalankan program saat dibuka. "
        "Hapus kolom itu lalu unggah lagi."
    ),
    "office_unreadable": _(
        "Dokumen Office ini rusak, terenkripsi atau terlalu rumit sehingga isinya tidak dapat "
        "diperiksa. Simpan ulang dokumen lalu unggah lagi."
    ),
    "pdf_javascript": _(
        "PDF ini berisi JavaScript yang dapat berjalan saat dokumen dibuka. Cetak ulang ke PDF "
        "tanpa skrip lalu unggah lagi."
    ),
    "pdf_open_action": _(
        "PDF ini menjalankan tindakan otomatis saat dibuka (/OpenAction). Cetak ulang ke PDF "
        "lalu unggah lagi."
    ),
    "pdf_additional_actions": _(
        "PDF ini berisi tindakan otomatis tambahan (/AA) yang berjalan saat halaman atau "
        "kolom dibuka. Cetak ulang ke PDF lalu unggah lagi."
    ),
    "pdf_launch": _(
        "PDF ini dapat membuka program atau berkas lain, atau mengirim data ke luar (/Launch, "
        "/GoToR, /SubmitForm). Cetak ulang ke PDF lalu unggah lagi."
    ),
    "pdf_link": _(
        "PDF ini berisi tautan ke alamat yang bukan web atau e-mail (misalnya berkas di "
        "jaringan atau program). Hapus tautan itu lalu unggah lagi."
    ),
    "pdf_embedded": _(
        "PDF ini berisi berkas tertanam (lampiran di dalam PDF). Unggah berkas-berkas itu "
        "terpisah dan cetak ulang PDF tanpa lampiran."
    ),
    "pdf_xfa": _(
        "PDF ini berisi formulir XFA yang dapat memuat skrip. Cetak ulang ke PDF lalu unggah lagi."
    ),
    "pdf_encrypted": _(
        "PDF ini dikunci dengan kata sandi sehingga isinya tidak dapat diperiksa. Unggah "
        "versi tanpa kata sandi."
    ),
    "pdf_unreadable": _(
        "PDF ini rusak atau terlalu rumit sehingga isinya tidak dapat diperiksa. Simpan ulang "
        "atau cetak ulang ke PDF lalu unggah lagi."
    ),
}


def refuse_active_content(upload: UploadedFile, extension: str) -> None:
    """Raise ValidationError (one message per problem found) if ``upload`` carries active
    content; ``extension`` is the type detected from its content."""
    upload.seek(0)
    try:
        if extension == "pdf":
            problems = pdf_problems(upload)
        elif extension in ("docx", "xlsx", "pptx"):
            problems = office_problems(upload)
        else:
            problems = []
    finally:
        upload.seek(0)
    if len(problems) == 1:
        raise ValidationError(MESSAGES[problems[0]], code=problems[0])
    if problems:
        raise ValidationError([ValidationError(MESSAGES[p], code=p) for p in problems])


def _ordered(found: set[str]) -> list[str]:
    return [code for code in MESSAGES if code in found]


# --- Office Open XML (DOCX, XLSX, PPTX) -------------------------------------------------------

_CFB_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE compound file: VBA, OLE objects
# The stream every VBA project has, as named in the compound file's directory (UTF-16).
_VBA_STREAM = "_VBA_PROJECT".encode("utf-16-le")
_MAX_PARTS = 10_000
_MAX_XML_PART = 16 * 1024 * 1024  # relationships and content types
_MAX_STREAMED_PART = 512 * 1024 * 1024  # a document body, streamed
_MAX_EMBEDDED_PACKAGE = 32 * 1024 * 1024
_MAX_DEPTH = 3
_PACKAGE_EXTENSIONS = (".docx", ".xlsx", ".pptx")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.\-]*:", re.IGNORECASE)
_SAFE_LINK_SCHEMES = ("http:", "https:", "mailto:")
# Word fields that run a program (DDE) or load another file or address when updated.
_FIELDS = {
    "DDE": "office_dde",
    "DDEAUTO": "office_dde",
    "INCLUDETEXT": "office_external",
    "INCLUDEPICTURE": "office_external",
    "IMPORT": "office_external",
    "LINK": "office_external",
}
_FIELD_NAME = re.compile(r"^\s*([A-Za-z]+)")
# Word parts whose text may hold field codes (body, headers, footers, notes, comments...).
_WORD_STORY = re.compile(r"^word/[^/]+\.xml$")


class _Unreadable(Exception):
    pass


def office_problems(upload: IO[bytes]) -> list[str]:
    try:
        with zipfile.ZipFile(upload) as archive:
            found = _package_problems(archive, depth=0)
    except Exception:  # noqa: BLE001 - whatever breaks on a hostile file means "cannot check"
        return ["office_unreadable"]
    return _ordered(found)


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    if info.file_size > limit:
        raise _Unreadable
    with archive.open(info) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise _Unreadable
    return data


def _head(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    with archive.open(info) as handle:
        return handle.read(len(_CFB_SIGNATURE))


def _refuse(*args) -> None:
    raise _Unreadable


def _stream(chunks: Iterable[bytes], **handlers) -> None:
    """Run expat over ``chunks`` with ``handlers``, refusing a DTD before anything could
    expand entities (Office never writes one). Element names come as ``uri}local``."""
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    for name, handler in handlers.items():
        setattr(parser, name, handler)
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError:
        raise _Unreadable from None


def _member_chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A part's bytes, a megabyte at a time, up to a bound that stops a zip bomb."""
    total = 0
    with archive.open(info) as handle:
        while chunk := handle.read(1024 * 1024):
            total += len(chunk)
            if total > _MAX_STREAMED_PART:
                raise _Unreadable
            yield chunk


def _xml(data: bytes) -> ElementTree.Element:
    """A small part (relationships, content types) as a tree."""
    _stream([data])
    try:
        return ElementTree.fromstring(data)  # noqa: S314 - no DTD, checked by _stream
    except ElementTree.ParseError:
        raise _Unreadable from None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _content_types(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> dict[str, str]:
    """Each part's content type (lowercase), keyed by its lowercase name."""
    info = next((i for i in infos if i.filename.lower() == "[content_types].xml"), None)
    if info is None:
        raise _Unreadable
    defaults: dict[str, str] = {}
    overrides: dict[str, str] = {}
    for element in _xml(_read(archive, info, _MAX_XML_PART)):
        kind = (element.get("ContentType") or "").lower()
        if _local(element.tag) == "Default":
            defaults[(element.get("Extension") or "").lower()] = kind
        elif _local(element.tag) == "Override":
            overrides[(element.get("PartName") or "").lstrip("/").lower()] = kind
    result = {}
    for item in infos:
        name = item.filename.lower()
        extension = name.rsplit(".", 1)[-1] if "." in name.rsplit("/", 1)[-1] else ""
        result[name] = overrides.get(name, defaults.get(extension, ""))
    return result


def _is_external(relationship: ElementTree.Element) -> bool:
    target = (relationship.get("Target") or "").strip()
    return (
        (relationship.get("TargetMode") or "").strip().lower() == "external"
        or bool(_SCHEME.match(target))
        or target.startswith(("\\\\", "//"))
    )


def _relationship_problems(relationship: ElementTree.Element) -> set[str]:
    kind = (relationship.get("Type") or "").lower()
    target = (relationship.get("Target") or "").strip().lower()
    found = set()
    if "vba" in kind or "macrosheet" in kind:
        found.add("office_macro")
    if kind.endswith("/oleobject"):
        found.add("office_ole")
    if "activex" in kind or kind.endswith("/control"):
        found.add("office_activex")
    # A link to another workbook or a DDE link; a data connection (database, web query).
    if kind.endswith(("/externallink", "/connections")):
        found.add("office_external")
    if _is_external(relationship) and not (
        kind.endswith("/hyperlink") and target.startswith(_SAFE_LINK_SCHEMES)
    ):
        found.add("office_external")
    return found


def _part_problems(name: str, content_type: str) -> set[str]:
    found = set()
    path = "/" + name
    if name.endswith(("vbaproject.bin", "vbadata.xml")) or "/macrosheets/" in path:
        found.add("office_macro")
    if any(word in content_type for word in ("macroenabled", "vbaproject", "macrosheet")):
        found.add("office_macro")
    if "/activex/" in path or "activex" in content_type:
        found.add("office_activex")
    if "oleobject" in content_type:
        found.add("office_ole")
    if "externallink" in content_type or "spreadsheetml.connections" in content_type:
        found.add("office_external")
    return found


def _may_hold_fields(chunks: Iterable[bytes]) -> bool:
    """A quick look before parsing: a field is written with an element whose name holds
    ``instrText`` or ``fldSimple``, which appear as such in a part written in UTF-8 (or
    any ASCII-compatible encoding). Anything else (UTF-16, say) is parsed in full."""
    tail = b""
    first = True
    for chunk in chunks:
        if first and not chunk.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<"):
            return True
        first = False
        window = tail + chunk
        if b"instrText" in window or b"fldSimple" in window:
            return True
        tail = window[-16:]
    return False


def _field_problems(chunks: Iterable[bytes]) -> set[str]:
    """The problems of the fields of a Word part. A field's code may be split over many
    runs, and fields nest; the part is streamed, not built as a tree, as a document body
    can be large. A field whose name is itself produced by a nested field (``{ { QUOTE 68
    68 69 } … }``) only serves to hide a DDE field from a check like this one."""
    open_fields: list[str] = []
    codes: list[str] = []
    found: set[str] = set()
    inside = False

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal inside
        tag = _local(name)
        values = {_local(k): v for k, v in attrs.items()}
        if tag == "fldSimple":
            codes.append(values.get("instr", ""))
        elif tag == "fldChar" and values.get("fldCharType") == "begin":
            if open_fields and not open_fields[-1].strip():
                found.add("office_dde")
            open_fields.append("")
        elif tag == "fldChar" and values.get("fldCharType") == "end" and open_fields:
            codes.append(open_fields.pop())
        elif tag == "instrText":
            inside = True

    def end(name: str) -> None:
        nonlocal inside
        if _local(name) == "instrText":
            inside = False

    def text(chunk: str) -> None:
        if inside and open_fields and len(open_fields[-1]) < 64:  # the name is at the start
            open_fields[-1] += chunk

    _stream(chunks, StartElementHandler=start, EndElementHandler=end, CharacterDataHandler=text)
    for code in codes + open_fields:
        match = _FIELD_NAME.match(code)
        if match and match.group(1).upper() in _FIELDS:
            found.add(_FIELDS[match.group(1).upper()])
    return found


def _package_problems(archive: zipfile.ZipFile, *, depth: int) -> set[str]:
    infos = [i for i in archive.infolist() if not i.is_dir()]
    if len(infos) > _MAX_PARTS:
        raise _Unreadable
    content_types = _content_types(archive, infos)
    found: set[str] = set()
    for info in infos:
        name = info.filename.lower()
        found |= _part_problems(name, content_types.get(name, ""))
        if name.endswith(".rels"):
            for element in _xml(_read(archive, info, _MAX_XML_PART)):
                if _local(element.tag) == "Relationship":
                    found |= _relationship_problems(element)
        elif "/embeddings/" in "/" + name:
            if name.endswith(_PACKAGE_EXTENSIONS) and depth < _MAX_DEPTH:
                # Charts keep their data as an embedded workbook: a package checked like
                # the document itself. Anything else embedded is an OLE object.
                inner = io.BytesIO(_read(archive, info, _MAX_EMBEDDED_PACKAGE))
                try:
                    with zipfile.ZipFile(inner) as nested:
                        found |= _package_problems(nested, depth=depth + 1)
                except zipfile.BadZipFile:
                    found.add("office_ole")
            else:
                found.add("office_ole")
        elif _head(archive, info) == _CFB_SIGNATURE:
            # A compound file under any name: a (renamed) VBA project or an OLE object.
            data = _read(archive, info, _MAX_EMBEDDED_PACKAGE)
            found.add("office_macro" if _VBA_STREAM in data else "office_ole")
        if _WORD_STORY.match(name) and _may_hold_fields(_member_chunks(archive, info)):
            found |= _field_problems(_member_chunks(archive, info))
    return found


# --- PDF --------------------------------------------------------------------------------------

# Each object costs pypdf about 0.1-0.2 ms to parse: a bound keeps a hostile file from
# holding a web worker for long. A 1,000-page report has some 10,000 objects.
_MAX_PDF_OBJECTS = 50_000
_MAX_PDF_VALUES = 40 * _MAX_PDF_OBJECTS  # dictionaries, arrays and names inside them
# Dictionary keys and name values, as a viewer sees them once #xx escapes are decoded.
_PDF_KEYS = {
    "/JS": "pdf_javascript",
    "/JavaScript": "pdf_javascript",
    "/AA": "pdf_additional_actions",
    "/EmbeddedFiles": "pdf_embedded",
    "/EmbeddedFile": "pdf_embedded",
    "/EF": "pdf_embedded",
    "/RichMedia": "pdf_embedded",
    "/XFA": "pdf_xfa",
}
_PDF_NAMES = {
    "/JavaScript": "pdf_javascript",
    "/Launch": "pdf_launch",
    "/GoToR": "pdf_launch",
    "/GoToE": "pdf_launch",
    "/ImportData": "pdf_launch",
    "/SubmitForm": "pdf_launch",
    "/EmbeddedFile": "pdf_embedded",
    "/FileAttachment": "pdf_embedded",
    "/RichMedia": "pdf_embedded",
}
# The raw scan sees names without knowing their role; these are never innocent.
_PDF_RAW = {
    "JS": "pdf_javascript",
    "JavaScript": "pdf_javascript",
    "AA": "pdf_additional_actions",
    "Launch": "pdf_launch",
    "EmbeddedFile": "pdf_embedded",
    "EmbeddedFiles": "pdf_embedded",
    "RichMedia": "pdf_embedded",
}
_PDF_STREAM = re.compile(rb">>\s*stream(?:\r\n|\n|\r).*?endstream", re.DOTALL)
_PDF_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]*)")
_PDF_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


def pdf_problems(upload: IO[bytes]) -> list[str]:
    data = upload.read()
    found = _raw_pdf_problems(data)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")  # only an owner password: readable by anyone
            except Exception:  # noqa: BLE001 - e.g. a cipher pypdf cannot handle
                opened = 0  # type: ignore[assignment]  # falsy like PasswordType.NOT_DECRYPTED
            if not opened:
                return _ordered(found | {"pdf_encrypted"})
        found |= _structure_problems(reader)
    except Exception:  # noqa: BLE001 - whatever breaks on a hostile file means "cannot check"
        found.add("pdf_unreadable")
    return _ordered(found)


def _raw_pdf_problems(data: bytes) -> set[str]:
    outside_streams = _PDF_STREAM.sub(b">>", data)
    found = set()
    for match in _PDF_NAME.finditer(outside_streams):
        raw = _PDF_HEX_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), match.group(1))
        code = _PDF_RAW.get(raw.decode("latin-1"))
        if code:
            found.add(code)
    return found


def _all_objects(reader: PdfReader) -> Iterator:
    yield reader.trailer
    for generation, numbers in reader.xref.items():
        for number in numbers:
            yield IndirectObject(number, generation, reader)
    for number in reader.xref_objStm:
        yield IndirectObject(number, 0, reader)


def _harmless_open_action(value) -> bool:
    """Opening at a page (a destination, or a GoTo action with nothing chained) does nothing
    but show the document; many office programs write it."""
    value = value.get_object()
    if isinstance(value, ArrayObject):
        return True
    return (
        isinstance(value, DictionaryObject)
        and value.get("/S") == "/GoTo"
        and set(value) <= {"/S", "/D", "/Type"}
    )


def _web_address(value) -> bool:
    """A link a browser opens (http, https, mailto, or no scheme), not a file share or a
    program; the same rule as hyperlinks in office documents."""
    value = value.get_object()
    target = value.decode("latin-1") if isinstance(value, bytes) else str(value)
    target = target.strip().lower()
    if target.startswith(("\\\\", "//")):
        return False
    return not _SCHEME.match(target) or target.startswith(_SAFE_LINK_SCHEMES)


def _structure_problems(reader: PdfReader) -> set[str]:
    found: set[str] = set()
    seen: set[tuple[int, int]] = set()
    stack = list(_all_objects(reader))
    if len(stack) > _MAX_PDF_OBJECTS:
        raise ValueError("too many objects to inspect")
    visited = 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        visited += 1
        if visited > _MAX_PDF_VALUES or len(seen) > _MAX_PDF_OBJECTS:
            raise ValueError("too many objects to inspect")
        if isinstance(item, DictionaryObject):
            for name, value in dict.items(item):
                code = _PDF_KEYS.get(str(name))
                if code:
                    found.add(code)
                if name == "/OpenAction" and not _harmless_open_action(value):
                    found.add("pdf_open_action")
                if name == "/URI" and item.get("/S") == "/URI" and not _web_address(value):
                    found.add("pdf_link")
                stack.append(value)
        elif isinstance(item, ArrayObject):
            stack.extend(list.__iter__(item))
        elif isinstance(item, NameObject):
            code = _PDF_NAMES.get(str(item))
            if code:
                found.add(code)
    return found
