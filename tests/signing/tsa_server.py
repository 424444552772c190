"""An RFC 3161 timestamp authority over HTTP for tests and the deploy smoke run
(scripts/deploy_smoke.sh): POST a DER TimeStampReq to any path, get a TimeStampResp
signed with the key of tests/signing/helpers.py ``other_pki(..., tsa_dir=DIR)``. What a
production server reaches at SIGNING_TSA_URL, answered by pyHanko's own TSA code.

    python -m tests.signing.tsa_server DIR PORT"""

from __future__ import annotations

import contextlib
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from asn1crypto import keys, pem, tsp, x509
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore


def _der(path: Path) -> bytes:
    data = path.read_bytes()
    return pem.unarmor(data)[2] if pem.detect(data) else data


def tsa_stamper(directory: Path) -> DummyTimeStamper:
    cert = x509.Certificate.load(_der(directory / "tsa.crt.pem"))
    root = x509.Certificate.load(_der(directory / "root.crt.pem"))
    return DummyTimeStamper(
        tsa_cert=cert,
        tsa_key=keys.PrivateKeyInfo.load(_der(directory / "tsa.key.pem")),
        certs_to_embed=SimpleCertificateStore.from_certs([root]),
    )


def tsa_server(directory: Path, port: int, host: str = "127.0.0.1") -> ThreadingHTTPServer:
    """The server, bound and not yet serving (``port`` 0: any free port)."""
    stamper = tsa_stamper(directory)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            try:
                request = tsp.TimeStampReq.load(body)
                answer = stamper.request_tsa_response(request).dump()
            except ValueError:
                self.send_error(400, "not a TimeStampReq")
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format, *args):
            pass

    return ThreadingHTTPServer((host, port), Handler)


if __name__ == "__main__":
    server = tsa_server(Path(sys.argv[1]), int(sys.argv[2]))
    with contextlib.suppress(KeyboardInterrupt):  # the smoke script stops it with SIGINT
        server.serve_forever()
