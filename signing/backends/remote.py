"""A remote-signing service (a ministry HSM behind an API, a CA's cloud signing): the
private key never leaves it. The interface it must offer (README, "Remote signing"):

    GET  {SIGNING_REMOTE_URL}/keys/{key_id}/certificates
         -> {"certificates": ["<base64 DER>", ...]}   signer's certificate first, then
                                                        its chain
    POST {SIGNING_REMOTE_URL}/keys/{key_id}/sign
         {"digest_algorithm": "sha256", "signature_algorithm": "rsassa_pkcs1v15",
          "digest": "<base64>"}
         -> {"signature": "<base64>"}

Both carry ``Authorization: Bearer <SIGNING_REMOTE_TOKEN>`` when that env is set. The
digest is of the CMS signed attributes (what a token signs); the service signs it as a
pre-computed hash. Any other status, or a body without those keys, is an error: nothing
is signed half-way."""

from __future__ import annotations

import base64
import hashlib
import json
import urllib.request

from asn1crypto import algos, x509
from django.core.exceptions import ImproperlyConfigured
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from . import COMMITTEE, KeyMissing, secret

TOKEN_ENV = "SIGNING_REMOTE_TOKEN"
TIMEOUT = 10


class RemoteSigningError(RuntimeError):
    pass


def _call(url: str, body: dict | None = None) -> dict:
    headers = {"Accept": "application/json"}
    token = secret(TOKEN_ENV)
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if not url.startswith(("https://", "http://")):
        raise RemoteSigningError("SIGNING_REMOTE_URL must be an http(s) URL.")
    request = urllib.request.Request(url, data=data, headers=headers)  # noqa: S310 (checked)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            return json.loads(response.read())
    except (OSError, ValueError) as exc:
        raise RemoteSigningError(f"The remote-signing service failed at {url}: {exc}") from exc


class RemoteSigner(signers.Signer):
    """A pyHanko signer whose raw signature is made by the remote service."""

    def __init__(self, base_url: str, key_id: str):
        self.base_url, self.key_id = base_url.rstrip("/"), key_id
        certs = _certificates(self.base_url, key_id)
        if not certs:
            raise KeyMissing(key_id, f"The remote service has no certificate for {key_id!r}.")
        super().__init__(
            signing_cert=certs[0],
            cert_registry=SimpleCertificateStore.from_certs(certs),
            signature_mechanism=algos.SignedDigestAlgorithm({"algorithm": "rsassa_pkcs1v15"}),
        )

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run=False) -> bytes:
        if dry_run:  # pyHanko sizes the signature field: a placeholder of the key's size
            return bytes(self.signing_cert.public_key.byte_size)
        digest = hashlib.new(digest_algorithm, data).digest()
        answer = _call(
            f"{self.base_url}/keys/{self.key_id}/sign",
            {
                "digest_algorithm": digest_algorithm,
                "signature_algorithm": "rsassa_pkcs1v15",
                "digest": base64.b64encode(digest).decode(),
            },
        )
        try:
            return base64.b64decode(answer["signature"], validate=True)
        except (KeyError, TypeError, ValueError) as exc:
            raise RemoteSigningError("The remote service answered without a signature.") from exc


def _certificates(base_url: str, key_id: str) -> tuple[x509.Certificate, ...]:
    answer = _call(f"{base_url}/keys/{key_id}/certificates")
    try:
        return tuple(
            x509.Certificate.load(base64.b64decode(item, validate=True))
            for item in answer["certificates"]
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise RemoteSigningError(f"No certificates from the service for {key_id!r}.") from exc


class RemoteBackend:
    def __init__(self, base_url: str):
        if not base_url:
            raise ImproperlyConfigured("SIGNING_REMOTE_URL must be set for the remote backend.")
        self.base_url = base_url

    def signer(self, key_id: str) -> signers.Signer:
        return RemoteSigner(self.base_url, key_id)

    def certificates(self) -> dict[str, x509.Certificate]:
        return {COMMITTEE: _certificates(self.base_url.rstrip("/"), COMMITTEE)[0]}
