"""Write the demo PKI (signing/pki/certomancer.yml) out as files, for the pkcs12 backend
and for people who want to look at it with openssl: the CA and TSA certificates, the CRLs,
and for each demo signer (organisation/demo/accounts.yaml) and the Committee a PKCS#12
file, its certificate and its key. Every file is rewritten only when its content would
change, so a second run leaves every byte (and every modification time) as it was."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from asn1crypto import pem
from cryptography.hazmat.primitives.serialization import pkcs12

from organisation.demo import read

from . import backends, pki
from .backends.pkcs12 import PASSPHRASE_ENV

SIGNER_ROLES = ("minister", "vice_minister")
PUBLIC, PRIVATE = 0o644, 0o600


@dataclass
class Written:
    changed: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)


def demo_signers() -> list[str]:
    """The sign-in names of the demo's Minister and Vice-Ministers."""
    return [p["user"] for p in read("accounts.yaml")["people"] if p["role"] in SIGNER_ROLES]


def _pem(kind: str, der: bytes) -> bytes:
    return pem.armor(kind, der)


def _same_pkcs12(path: Path, wanted: bytes, passphrase: bytes | None) -> bool:
    """PKCS#12 encryption is salted, so equal files are recognised by what they hold."""
    try:
        old = pkcs12.load_pkcs12(path.read_bytes(), passphrase)
        new = pkcs12.load_pkcs12(wanted, passphrase)
    except (OSError, ValueError):
        return False
    return (
        old.key.private_numbers() == new.key.private_numbers()
        and old.cert.certificate == new.cert.certificate
        and [c.certificate for c in old.additional_certs]
        == [c.certificate for c in new.additional_certs]
    )


def _write(path: Path, data: bytes, mode: int, written: Written, same=None) -> None:
    if path.exists() and (same(path) if same else path.read_bytes() == data):
        if path.stat().st_mode & 0o777 != mode:
            path.chmod(mode)
        written.kept.append(path)
        return
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    path.chmod(mode)
    written.changed.append(path)


def demo_pki_write(*, directory: Path, at: dt.datetime | None = None) -> Written:
    arch = pki.demo_arch()
    directory.mkdir(parents=True, exist_ok=True)
    directory.chmod(0o700)
    written = Written()
    for label in ("root", "interm", "tsa"):
        _write(
            directory / f"{label}.crt.pem",
            _pem("CERTIFICATE", arch.get_cert(label).dump()),
            PUBLIC,
            written,
        )
    _write(
        directory / "tsa.key.pem",
        _pem("PRIVATE KEY", arch.key_set.get_private_key("tsa").dump()),
        PRIVATE,
        written,
    )
    for revocation_list in pki.demo_crls(at):
        issuer = "root" if revocation_list.issuer == arch.get_cert("root").subject else "interm"
        _write(directory / f"{issuer}.crl", revocation_list.dump(), PUBLIC, written)
    passphrase = os.environ.get(PASSPHRASE_ENV)
    for key_id in [*demo_signers(), backends.COMMITTEE]:
        label = pki.demo_label(key_id)
        cert = arch.get_cert(label)
        key_label = arch.get_cert_spec(label).subject_key
        secret = backends.secret(PASSPHRASE_ENV, key_id=key_id) or passphrase
        secret_bytes = secret.encode() if secret else None
        bundle = arch.package_pkcs12(label, key_label=key_label, password=secret_bytes)
        _write(
            directory / f"{key_id}.p12",
            bundle,
            PRIVATE,
            written,
            same=lambda path, b=bundle, s=secret_bytes: _same_pkcs12(path, b, s),
        )
        _write(directory / f"{key_id}.crt.pem", _pem("CERTIFICATE", cert.dump()), PUBLIC, written)
        private = arch.key_set.get_private_key(key_label).dump()
        _write(directory / f"{key_id}.key.pem", _pem("PRIVATE KEY", private), PRIVATE, written)
    return written
