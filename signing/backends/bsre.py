"""A client for BSrE's signing service (the "esign client service" HTTP interface).

The interface regional governments are given: ``POST {url}/api/sign/pdf`` as
multipart/form-data with the signer's ``nik``, ``passphrase``, the ``file``, and
``tampilan`` (``visible``/``invisible``) with ``page``, ``xAxis``, ``yAxis``, ``width``,
``height`` and ``linkQR`` for a visible box; HTTP Basic authentication with the
application's credentials. Success is the signed PDF; an error is JSON
``{"error": "...", "status_code": n}``. Versions differ between agencies: the field names
and the error codes recognised here are collected in one place (``FIELDS``,
``_classify``). The test suite runs this client against a local server that follows the
same interface.
"""

import base64
import json
import socket
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from signing.backends.base import (
    Appearance,
    NotRegistered,
    ServiceTimeout,
    ServiceUnavailable,
    SigningError,
    WrongPassphrase,
)
from signing.models import SignerProfile

SIGN_PATH = "/api/sign/pdf"
# Error codes of the esign client service as agencies document them (*verify* against
# the version you are given); messages are matched as well, since codes vary.
WRONG_PASSPHRASE_CODES = {2031}
NOT_REGISTERED_CODES = {1111, 2021}


@dataclass
class BsreSigner:
    url: str
    username: str
    password: str
    timeout: float
    name: str = "bsre"

    @classmethod
    def from_settings(cls) -> "BsreSigner":
        if not settings.SOPAPP_BSRE_URL:
            raise ImproperlyConfigured("SOPAPP_SIGNER=bsre needs SOPAPP_BSRE_URL.")
        return cls(
            url=settings.SOPAPP_BSRE_URL.rstrip("/"),
            username=settings.SOPAPP_BSRE_USERNAME,
            password=settings.SOPAPP_BSRE_PASSWORD,
            timeout=settings.SOPAPP_BSRE_TIMEOUT,
        )

    def sign(
        self, pdf: bytes, *, user, passphrase: str, field_name: str, appearance: Appearance
    ) -> bytes:
        profile = SignerProfile.objects.filter(user=user).first()
        if profile is None or not profile.nik:
            raise NotRegistered(
                _("NIK Anda belum dicatat untuk tanda tangan elektronik. Hubungi administrator.")
            )
        x1, y1, x2, y2 = appearance.box
        fields = {
            "nik": profile.nik,
            "passphrase": passphrase,
            "tampilan": "visible" if appearance.visible else "invisible",
        }
        if appearance.visible:
            fields.update(
                {
                    "page": str(appearance.page + 1 if appearance.page >= 0 else 0),
                    "halaman": "TERAKHIR" if appearance.page < 0 else "",
                    "xAxis": str(x1),
                    "yAxis": str(y1),
                    "width": str(x2 - x1),
                    "height": str(y2 - y1),
                    "image": "false",
                    "linkQR": appearance.qr_url,
                    "reason": "Ditandatangani secara elektronik",
                    "location": appearance.location,
                }
            )
        body, content_type = _multipart(fields, ("file", "dokumen.pdf", pdf))
        request = urllib.request.Request(  # noqa: S310 - the configured https:// URL
            self.url + SIGN_PATH, data=body, method="POST"
        )
        request.add_header("Content-Type", content_type)
        request.add_header("Accept", "application/pdf, application/json")
        token = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                content = response.read()
        except urllib.error.HTTPError as exc:
            raise _classify(exc.code, exc.read()) from None
        except TimeoutError:
            raise ServiceTimeout() from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError | socket.timeout):
                raise ServiceTimeout() from None
            raise ServiceUnavailable(detail=str(exc.reason)) from None
        except OSError as exc:
            raise ServiceUnavailable(detail=str(exc)) from None
        if not content.startswith(b"%PDF-"):
            raise _classify(200, content)
        return content


def _classify(status: int, body: bytes) -> SigningError:
    try:
        answer = json.loads(body.decode("utf-8", "replace"))
    except ValueError:
        answer = {}
    if not isinstance(answer, dict):
        answer = {}
    message = str(answer.get("error") or answer.get("message") or "")
    lowered = message.lower()
    try:
        code = int(answer.get("status_code") or 0)
    except (TypeError, ValueError):
        code = 0
    detail = f"HTTP {status}, code {code}: {message[:200]}"
    if code in WRONG_PASSPHRASE_CODES or "passphrase" in lowered:
        return WrongPassphrase(detail=detail)
    if code in NOT_REGISTERED_CODES or ("nik" in lowered and "terdaftar" in lowered):
        return NotRegistered(
            _("NIK Anda tidak terdaftar di BSrE atau sertifikat Anda tidak aktif."),
            detail=detail,
        )
    if status == 401:
        return ServiceUnavailable(
            _("Layanan BSrE menolak kredensial aplikasi ini. Hubungi administrator."),
            detail=detail,
        )
    if status >= 500 or status == 200:
        return ServiceUnavailable(detail=detail)
    return SigningError(detail=detail)


def _multipart(fields: dict[str, str], file: tuple[str, str, bytes]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value.encode()
            + b"\r\n"
        )
    field, filename, content = file
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
        f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
