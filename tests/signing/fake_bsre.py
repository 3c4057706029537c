"""A local stand-in for BSrE's signing service, following its HTTP interface.

``POST /api/sign/pdf`` (multipart: nik, passphrase, file, tampilan, page, xAxis, yAxis,
width, height, linkQR), HTTP Basic authentication; answers the signed PDF, or JSON
``{"error": …, "status_code": …}`` as the service does. It signs for real, with pyHanko
and a certificate of a test CA, so what it returns validates. Special NIKs make it
misbehave: ``SLOW_NIK`` answers after ``slow_seconds``, ``BROKEN_NIK`` answers HTTP 500.
"""

import base64
import contextlib
import email.parser
import email.policy
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from pyhanko.sign import signers

from signing.backends.base import Appearance
from signing.backends.local import pades_sign

SLOW_NIK = "3200000000000009"
BROKEN_NIK = "3200000000000005"


class FakeBsre:
    def __init__(self, *, username: str, password: str, accounts: dict, slow_seconds=3.0):
        """``accounts``: NIK → (passphrase, PKCS#12 bytes protected by that passphrase)."""
        self.username, self.password = username, password
        self.accounts = accounts
        self.slow_seconds = slow_seconds
        self.requests: list[dict] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> "FakeBsre":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def _json(self, status: int, error: str, code: int) -> None:
                body = json.dumps({"error": error, "status_code": code}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                # The client may have given up waiting (the timeout test).
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)

            def do_POST(self) -> None:
                if self.path != "/api/sign/pdf":
                    return self._json(404, "Not found", 404)
                expected = base64.b64encode(f"{fake.username}:{fake.password}".encode()).decode()
                if self.headers.get("Authorization") != f"Basic {expected}":
                    return self._json(401, "Unauthorized", 401)
                length = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(length)
                message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
                    b"Content-Type: " + self.headers["Content-Type"].encode() + b"\r\n\r\n" + raw
                )
                form, file = {}, None
                for part in message.iter_parts():
                    name = part.get_param("name", header="content-disposition")
                    if part.get_filename():
                        file = part.get_payload(decode=True)
                    else:
                        form[name] = part.get_payload(decode=True).decode()
                fake.requests.append({k: v for k, v in form.items() if k != "passphrase"})
                nik = form.get("nik", "")
                if nik == SLOW_NIK:
                    time.sleep(fake.slow_seconds)
                    return self._json(500, "late", 500)
                if nik == BROKEN_NIK:
                    return self._json(500, "Internal server error", 500)
                if not file or not file.startswith(b"%PDF-"):
                    return self._json(400, "Dokumen tidak valid", 2011)
                if nik not in fake.accounts:
                    return self._json(400, "NIK tidak terdaftar", 1111)
                passphrase, bundle = fake.accounts[nik]
                if form.get("passphrase") != passphrase:
                    return self._json(400, "Passphrase anda salah", 2031)
                signer = signers.SimpleSigner.load_pkcs12_data(
                    bundle, other_certs=[], passphrase=passphrase.encode()
                )
                x, y = int(form.get("xAxis", 40)), int(form.get("yAxis", 60))
                w, h = int(form.get("width", 170)), int(form.get("height", 60))
                page = int(form.get("page", 0) or 0)
                signed = pades_sign(
                    file,
                    signer,
                    field_name=f"BSrE{len(fake.requests)}",
                    appearance=Appearance(
                        position="",
                        name="",
                        nip="",
                        qr_url=form.get("linkQR", "https://bsre.bssn.go.id"),
                        page=page - 1 if page > 0 else -1,
                        box=(x, y, x + w, y + h),
                        visible=form.get("tampilan") == "visible",
                    ),
                )
                self.send_response(200)
                self.send_header("Content-Type", "application/pdf")
                self.send_header("Content-Length", str(len(signed)))
                self.send_header("id_dokumen", "fake-1")
                self.end_headers()
                self.wfile.write(signed)

        return Handler
