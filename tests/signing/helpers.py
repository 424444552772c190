"""A small PKI that is NOT the demo's (a CA made up per test run, with the Committee's
PKCS#12 file, the signers' when asked, and a timestamp authority's key when asked), for
the settings a production server could run with."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PASSPHRASE = "mat-khau-that"
# What an end-entity certificate may do: sign documents (Decree 30/2020 asks for the
# non-repudiation key usage, signing.pades checks it both ways).
_SIGNING_USAGE = x509.KeyUsage(
    digital_signature=True,
    content_commitment=True,
    key_encipherment=False,
    data_encipherment=False,
    key_agreement=False,
    key_cert_sign=False,
    crl_sign=False,
    encipher_only=False,
    decipher_only=False,
)


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _cert(subject, issuer, public_key, signing_key, *, ca: bool, extensions=()) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer))
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    for extension in extensions:
        builder = builder.add_extension(extension, critical=True)
    return builder.sign(signing_key, hashes.SHA256())


def _private(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    os.chmod(path, 0o600)


def other_pki(
    directory: Path, *, signers: Iterable[str] = (), tsa_dir: Path | None = None
) -> dict[str, str]:
    """Write a root CA and the Committee's PKCS#12 file (mode 0600) into ``directory``,
    with one ``<key id>.p12`` per sign-in name in ``signers``; with ``tsa_dir``, a
    timestamp authority's certificate and key there (``tsa.crt.pem``, ``tsa.key.pem``,
    served by tests/signing/tsa_server.py). Return the environment of a production
    server using them."""
    directory.mkdir(parents=True, exist_ok=True)
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root = _cert("Test Root CA", "Test Root CA", root_key.public_key(), root_key, ca=True)
    (directory / "root.crt.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))
    for key_id, name in [("committee", "Uy ban Dan toc (TEST)")] + [(s, s) for s in signers]:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        cert = _cert(
            name,
            "Test Root CA",
            key.public_key(),
            root_key,
            ca=False,
            extensions=[_SIGNING_USAGE],
        )
        bundle = pkcs12.serialize_key_and_certificates(
            None, key, cert, [root], serialization.BestAvailableEncryption(PASSPHRASE.encode())
        )
        _private(directory / f"{key_id}.p12", bundle)
    if tsa_dir is not None:
        tsa_dir.mkdir(parents=True, exist_ok=True)
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        cert = _cert(
            "Test TSA",
            "Test Root CA",
            key.public_key(),
            root_key,
            ca=False,
            extensions=[x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING])],
        )
        (tsa_dir / "tsa.crt.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        (tsa_dir / "root.crt.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))
        _private(
            tsa_dir / "tsa.key.pem",
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            ),
        )
    return {
        "SIGNING_BACKEND": "pkcs12",
        "SIGNING_PKCS12_DIR": str(directory),
        "SIGNING_PKCS12_PASSPHRASE": PASSPHRASE,
        "SIGNING_TSA_URL": "https://tsa.example.vn/tsr",
        "SIGNING_TRUST_ROOTS": str(directory / "root.crt.pem"),
    }
