"""Start-up checks of the signing keys (Django system checks, so `manage.py check
--deploy` in scripts/update.sh, `migrate` and `runserver` all refuse a bad setup).

Under production settings (IS_PRODUCTION) the demo PKI is refused: its private keys are
committed to the repository, so a signature made with them proves nothing. Everywhere,
a key file readable by the group or others is refused."""

from __future__ import annotations

import stat
from pathlib import Path

from asn1crypto import x509
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from . import backends, keys, pki


def _demo_fingerprints() -> tuple[set, set]:
    arch = pki.demo_arch()
    cas = [arch.get_cert("root"), arch.get_cert("interm")]
    key_ids = {ca.key_identifier for ca in cas}
    public_keys = {
        arch.key_set.get_public_key(label).dump()
        for label in ("root", "interm", "tsa", "minister", "vice-minister", "committee")
    }
    return key_ids, public_keys


def is_demo_certificate(cert: x509.Certificate) -> bool:
    """Issued by the demo root or intermediate, or holding one of the demo keys."""
    key_ids, public_keys = _demo_fingerprints()
    issuer_names = {
        pki.root_certificate().subject.dump(),
        *(c.subject.dump() for c in pki.intermediate_certificates()),
    }
    return (
        cert.authority_key_identifier in key_ids
        or cert.key_identifier in key_ids
        or cert.issuer.dump() in issuer_names
        or cert.public_key.dump() in public_keys
    )


def _refuse(msg: str, id: str, hint: str = "") -> checks.Error:
    return checks.Error(msg, hint=hint or None, id=id)


@checks.register(checks.Tags.security)
def check_no_demo_keys(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if not getattr(settings, "IS_PRODUCTION", False):
        return []
    hint = "Configure the Committee's real keys (README, 'Signing keys')."
    if backends.backend_name() == "demo":
        return [
            _refuse(
                "SIGNING_BACKEND is 'demo' in production: its keys are public.",
                "signing.E001",
                hint,
            )
        ]
    errors = []
    if not backends.signing_setting("TSA_URL"):
        errors.append(
            _refuse(
                "SIGNING_TSA_URL is not set: the demo timestamp authority "
                "would sign every timestamp.",
                "signing.E003",
                hint,
            )
        )
    if not backends.signing_setting("TRUST_ROOTS"):
        errors.append(
            _refuse(
                "SIGNING_TRUST_ROOTS is not set: the demo root would be trusted.",
                "signing.E002",
                hint,
            )
        )
    else:
        for root in keys.trust_roots():
            if is_demo_certificate(root):
                errors.append(_refuse("A trust root is the demo root CA.", "signing.E002", hint))
    try:
        certificates = backends.backend().certificates()
    except (ImproperlyConfigured, OSError, RuntimeError, ValueError) as exc:
        return [*errors, _refuse(f"The signing keys cannot be opened: {exc}", "signing.E005")]
    for key_id, cert in sorted(certificates.items()):
        if is_demo_certificate(cert):
            errors.append(
                _refuse(
                    f"The certificate of key {key_id!r} is a demo certificate.",
                    "signing.E002",
                    hint,
                )
            )
    return errors


def _exposed(path: Path) -> bool:
    return bool(path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO))


@checks.register(checks.Tags.security)
def check_key_file_permissions(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """A private key anyone on the server can read is no longer private."""
    if backends.backend_name() != "pkcs12":
        return []
    directory = Path(backends.signing_setting("PKCS12_DIR") or "")
    if not directory.is_dir():
        return [_refuse(f"SIGNING_PKCS12_DIR {directory} is not a directory.", "signing.E004")]
    return [
        _refuse(
            f"Key file {path} is readable by its group or others.",
            "signing.E004",
            hint=f"chmod 600 {path}",
        )
        for path in sorted([*directory.glob("*.p12"), *directory.glob("*.key.pem")])
        if _exposed(path)
    ]
