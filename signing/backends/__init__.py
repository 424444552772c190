"""The key backends behind signing.keys: where the private keys live. One is chosen by
``settings.SIGNING["BACKEND"]`` (env SIGNING_BACKEND): ``demo`` (the in-process demo PKI),
``pkcs12`` (one PKCS#12 file per signer), ``pkcs11`` (a token or HSM), ``remote`` (a
remote-signing service). Every backend answers the same three questions, so signing code
never knows which one is configured. Secrets (passphrases, PINs, API tokens) are read
from the environment when a key is opened: never from the database, never logged."""

from __future__ import annotations

import os
import re
from functools import cache
from typing import Protocol

from asn1crypto import x509
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pyhanko.sign import signers

# The key of the agency's (the Committee's) signature in every backend.
COMMITTEE = "committee"


class KeyMissing(ImproperlyConfigured):
    """The backend holds no key for ``key_id`` (a signer's key not installed on this
    server): the person signing is told so, by name, and nothing is signed."""

    def __init__(self, key_id: str, detail: str):
        super().__init__(detail)
        self.key_id = key_id


class Backend(Protocol):
    def signer(self, key_id: str) -> signers.Signer:
        """The signer for ``key_id`` (a signer's sign-in name, or COMMITTEE)."""

    def certificates(self) -> dict[str, x509.Certificate]:
        """Every signing certificate the backend holds that can be listed cheaply (at least
        the Committee's), by key id: what the start-up checks inspect."""


def signing_setting(name: str, default=None):
    return getattr(settings, "SIGNING", {}).get(name, default)


def secret(name: str, *, key_id: str | None = None) -> str | None:
    """The secret in env ``name`` (or ``name_<KEY_ID>`` for one key, which wins)."""
    if key_id is not None:
        specific = os.environ.get(f"{name}_{re.sub(r'[^A-Za-z0-9]', '_', key_id).upper()}")
        if specific is not None:
            return specific
    return os.environ.get(name)


@cache
def _backend(name: str) -> Backend:
    if name == "demo":
        from .demo import DemoBackend

        return DemoBackend()
    if name == "pkcs12":
        from .pkcs12 import Pkcs12Backend

        return Pkcs12Backend(signing_setting("PKCS12_DIR") or "")
    if name == "pkcs11":
        from .pkcs11 import Pkcs11Backend

        return Pkcs11Backend(
            module=signing_setting("PKCS11_MODULE") or "",
            token_label=signing_setting("PKCS11_TOKEN_LABEL") or "",
        )
    if name == "remote":
        from .remote import RemoteBackend

        return RemoteBackend(signing_setting("REMOTE_URL") or "")
    raise ImproperlyConfigured(
        f"SIGNING['BACKEND'] must be demo, pkcs12, pkcs11 or remote, not {name!r}."
    )


def backend_name() -> str:
    return signing_setting("BACKEND", "demo")


def backend() -> Backend:
    """The configured backend (one instance per backend name: tokens stay logged in)."""
    return _backend(backend_name())


def reset() -> None:
    """Forget the opened backends (tests that change SIGNING call it)."""
    _backend.cache_clear()
