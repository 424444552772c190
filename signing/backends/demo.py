"""The demo PKI (signing/pki.py) as a backend: public keys committed to the repository,
for tests and the demo only (production refuses it, signing.checks)."""

from __future__ import annotations

from asn1crypto import x509
from pyhanko.sign import signers

from .. import pki


class DemoBackend:
    def signer(self, key_id: str) -> signers.Signer:
        return pki.demo_signer(pki.demo_label(key_id))

    def certificates(self) -> dict[str, x509.Certificate]:
        return {pki.COMMITTEE: pki.demo_arch().get_cert(pki.COMMITTEE)}
