"""Who signs with which key: the one place the product asks for a signer, the agency's
signer, the timestamp authority and the trust anchors. Everything that signs or verifies
calls these functions and never a key store directly, so the key backend (PKCS#12 files,
PKCS#11 tokens, a remote-signing service) is a setting, not a change of code.

Until a backend is configured, the demo PKI (signing/pki.py) answers: the Minister's and
the Vice-Ministers' demo certificates by role, and the Committee's certificate."""

from __future__ import annotations

from asn1crypto import x509
from pyhanko.sign import signers
from pyhanko.sign.timestamps import TimeStamper
from pyhanko_certvalidator import ValidationContext

from . import pki


def _label_for(person) -> str:
    groups = {g.name for g in person.groups.all()}
    if "minister" in groups:
        return pki.MINISTER
    return pki.VICE_MINISTER


def signer_for(person) -> signers.Signer:
    """The signer holding ``person``'s signing key and certificate with its chain."""
    return pki.demo_signer(_label_for(person))


def committee_signer() -> signers.Signer:
    """The agency's (the Committee's) signer, applied by the Office when it issues."""
    return pki.demo_signer(pki.COMMITTEE)


def timestamper() -> TimeStamper:
    """The RFC 3161 timestamp authority every signature and checkpoint uses."""
    return pki.demo_timestamper()


def validation_context() -> ValidationContext:
    """What a signer embeds for PAdES B-LT (chain and revocation data, nothing fetched)."""
    return pki.demo_validation_context()


def trust_roots() -> list[x509.Certificate]:
    """The roots a verifier trusts (the Ban Cơ yếu Chính phủ root in production)."""
    return [pki.root_certificate()]
