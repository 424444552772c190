"""PKCS#11 tokens (the USB tokens Vietnamese officials carry, or an HSM): the module
``SIGNING_PKCS11_MODULE`` (a .so), the token ``SIGNING_PKCS11_TOKEN_LABEL``, the user PIN
in env ``SIGNING_PKCS11_PIN``. Each key and its certificate carry the label of their key
id: the signer's sign-in name, or ``committee``. One session is opened per process and
kept, as a token's login is slow."""

from __future__ import annotations

import threading

from asn1crypto import x509
from django.core.exceptions import ImproperlyConfigured
from pyhanko.config.pkcs11 import TokenCriteria
from pyhanko.sign import pkcs11 as pyhanko_pkcs11
from pyhanko.sign import signers

from . import COMMITTEE, secret

PIN_ENV = "SIGNING_PKCS11_PIN"


class Pkcs11Backend:
    def __init__(self, *, module: str, token_label: str):
        if not module or not token_label:
            raise ImproperlyConfigured(
                "SIGNING_PKCS11_MODULE and SIGNING_PKCS11_TOKEN_LABEL must be set."
            )
        self.module, self.token_label = module, token_label
        self._session = None
        self._lock = threading.Lock()

    def session(self):
        with self._lock:
            if self._session is None:
                self._session = pyhanko_pkcs11.open_pkcs11_session(
                    self.module,
                    token_criteria=TokenCriteria(label=self.token_label),
                    user_pin=secret(PIN_ENV),
                )
            return self._session

    def signer(self, key_id: str) -> signers.Signer:
        return pyhanko_pkcs11.PKCS11Signer(
            self.session(), cert_label=key_id, key_label=key_id, embed_roots=True
        )

    def certificates(self) -> dict[str, x509.Certificate]:
        return {COMMITTEE: self.signer(COMMITTEE).signing_cert}

    def close(self) -> None:
        with self._lock:
            if self._session is not None:
                self._session.close()
                self._session = None
