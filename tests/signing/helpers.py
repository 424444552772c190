"""A small PKI that is NOT the demo's (a CA made up per test run, with the Committee's
PKCS#12 file), for the settings a production server could run with."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

PASSPHRASE = "mat-khau-that"


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _cert(subject, issuer, public_key, signing_key, *, ca: bool) -> x509.Certificate:
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
    return builder.sign(signing_key, hashes.SHA256())


def other_pki(directory: Path) -> dict[str, str]:
    """Write a root CA and the Committee's PKCS#12 file (mode 0600) into ``directory``;
    return the environment of a production server using them."""
    directory.mkdir(parents=True, exist_ok=True)
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root = _cert("Test Root CA", "Test Root CA", root_key.public_key(), root_key, ca=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = _cert("Uy ban Dan toc (TEST)", "Test Root CA", key.public_key(), root_key, ca=False)
    (directory / "root.crt.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))
    bundle = pkcs12.serialize_key_and_certificates(
        None, key, cert, [root], serialization.BestAvailableEncryption(PASSPHRASE.encode())
    )
    path = directory / "committee.p12"
    path.write_bytes(bundle)
    os.chmod(path, 0o600)
    return {
        "SIGNING_BACKEND": "pkcs12",
        "SIGNING_PKCS12_DIR": str(directory),
        "SIGNING_PKCS12_PASSPHRASE": PASSPHRASE,
        "SIGNING_TSA_URL": "https://tsa.example.vn/tsr",
        "SIGNING_TRUST_ROOTS": str(directory / "root.crt.pem"),
    }
