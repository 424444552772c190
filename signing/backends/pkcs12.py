"""PKCS#12 files: ``<key id>.p12`` in one directory (``SIGNING_PKCS12_DIR``), one per
signer (by sign-in name) and ``committee.p12``. Each file's passphrase comes from env
``SIGNING_PKCS12_PASSPHRASE_<KEY_ID>`` or, for all of them, ``SIGNING_PKCS12_PASSPHRASE``.
The files must be readable by the service user only (signing.checks)."""

from __future__ import annotations

from pathlib import Path

from asn1crypto import x509
from django.core.exceptions import ImproperlyConfigured
from pyhanko.sign import signers

from ..loaded_key import LoadedKeySigner
from . import KeyMissing, secret

PASSPHRASE_ENV = "SIGNING_PKCS12_PASSPHRASE"


class Pkcs12Backend:
    def __init__(self, directory: str):
        if not directory:
            raise ImproperlyConfigured("SIGNING_PKCS12_DIR must name the PKCS#12 directory.")
        self.directory = Path(directory)

    def path(self, key_id: str) -> Path:
        return self.directory / f"{key_id}.p12"

    def key_files(self) -> list[Path]:
        return sorted(self.directory.glob("*.p12"))

    def signer(self, key_id: str) -> signers.Signer:
        path = self.path(key_id)
        if not path.is_file():
            raise KeyMissing(key_id, f"No PKCS#12 file for key {key_id!r} in {self.directory}.")
        passphrase = secret(PASSPHRASE_ENV, key_id=key_id)
        signer = signers.SimpleSigner.load_pkcs12(
            str(path), passphrase=passphrase.encode() if passphrase is not None else None
        )
        if signer is None:  # pyHanko logs the reason without the passphrase
            raise ImproperlyConfigured(f"The PKCS#12 file for key {key_id!r} cannot be opened.")
        return LoadedKeySigner.of(signer)

    def certificates(self) -> dict[str, x509.Certificate]:
        return {path.stem: self.signer(path.stem).signing_cert for path in self.key_files()}
