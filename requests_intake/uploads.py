"""Checking uploaded files by their content, never by their name."""

import hashlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from requests_intake.active_content import refuse_active_content

# Types a Diskominfo exchanges: scanned letters, office documents, screenshots.
ALLOWED_TYPES: dict[str, str] = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "image/png": "png",
    "image/jpeg": "jpg",
}
PDF_ONLY = {"application/pdf"}
PDF_OR_DOCX = {
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
_OOXML_PART = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
_HEAD_BYTES = 64 * 1024


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    size: int
    sha256: str
    safe_name: str


def max_upload_bytes() -> int:
    return settings.SOPAPP_MAX_UPLOAD_MB * 1024 * 1024


def safe_filename(name: str, extension: str) -> str:
    """A download name without paths, control characters or surprises."""
    stem = name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1].rsplit(".", 1)[0]
    stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9._ -]+", "_", stem).strip(" ._")[:80] or "dokumen"
    return f"{stem}.{extension}"


def _ooxml_kind(upload: UploadedFile) -> str | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, ValueError, EOFError):
        # A damaged archive (or one needing features zipfile lacks) is no office document.
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    for kind, prefix in _OOXML_PART.items():
        if any(n.startswith(prefix) for n in names):
            return kind
    return None


def check_upload(upload: UploadedFile, *, allowed: set[str] | None = None) -> CheckedFile:
    """Validate an upload; raise ValidationError with an Indonesian message."""
    allowed = allowed or set(ALLOWED_TYPES)
    if upload.size is None or upload.size == 0:
        raise ValidationError(_("Berkas kosong."), code="empty")
    limit = max_upload_bytes()
    if upload.size > limit:
        raise ValidationError(
            _("Ukuran berkas %(size)s melebihi batas %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(_HEAD_BYTES)
    upload.seek(0)
    guess = filetype.guess(head)
    mime = guess.mime if guess else None
    if mime == "application/zip" or (mime and mime.startswith("application/vnd.openxml")):
        kind = _ooxml_kind(upload)
        mime = next((m for m, ext in ALLOWED_TYPES.items() if ext == kind), None)
    if mime is None or mime not in ALLOWED_TYPES or mime not in allowed:
        names = ", ".join(sorted(ALLOWED_TYPES[m].upper() for m in allowed))
        raise ValidationError(
            _("Isi berkas bukan jenis yang diizinkan (%(types)s).") % {"types": names},
            code="bad_type",
        )
    extension = ALLOWED_TYPES[mime]
    refuse_active_content(upload, extension)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(
        content_type=mime,
        extension=extension,
        size=upload.size,
        sha256=digest.hexdigest(),
        safe_name=safe_filename(upload.name or "dokumen", extension),
    )
