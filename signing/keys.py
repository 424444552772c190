"""Who signs with which key: the one place the product asks for a signer, the agency's
signer, the timestamp authority and the trust anchors. Everything that signs or verifies
calls these functions and never a key store directly, so the key backend (PKCS#12 files,
PKCS#11 tokens, a remote-signing service: signing.backends) is a setting, not a change
of code.

``settings.SIGNING`` (config/settings/base.py, from the environment) chooses: BACKEND
(demo, pkcs12, pkcs11, remote), TSA_URL (an RFC 3161 authority; the demo's in-process
one when empty), TRUST_ROOTS / CERTS / CRLS (PEM or DER files: the roots a verifier
trusts, the intermediates and the revocation lists to embed). With BACKEND "demo" and no
files, the demo PKI (signing/pki.py) answers everything."""

from __future__ import annotations

from pathlib import Path

from asn1crypto import crl, pem, x509
from pyhanko.sign import signers
from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper
from pyhanko_certvalidator import ValidationContext

from . import backends, pki


def key_id_for(person) -> str:
    """A person's key is named by their sign-in name in every backend."""
    return person.get_username()


def signer_for(person) -> signers.Signer:
    """The signer holding ``person``'s signing key and certificate with its chain."""
    if backends.backend_name() == "demo":
        # The demo signs for anyone with the role: the Minister's certificate for the
        # Minister (by group), the signer's own when the PKI has one, else a Vice-Minister's.
        groups = {g.name for g in person.groups.all()}
        if "minister" in groups and pki.demo_label(key_id_for(person)) == pki.VICE_MINISTER:
            return pki.demo_signer(pki.MINISTER)
    return backends.backend().signer(key_id_for(person))


def committee_signer() -> signers.Signer:
    """The agency's (the Committee's) signer, applied by the Office when it issues."""
    return backends.backend().signer(backends.COMMITTEE)


def timestamper() -> TimeStamper:
    """The RFC 3161 timestamp authority every signature and checkpoint uses."""
    url = backends.signing_setting("TSA_URL")
    if url:
        return HTTPTimeStamper(url, timeout=backends.signing_setting("TSA_TIMEOUT", 10))
    return pki.demo_timestamper()


def _load(paths, loader) -> list:
    objects = []
    for path in paths or ():
        data = Path(path).read_bytes()
        if pem.detect(data):
            objects.extend(loader(der) for _type, _headers, der in pem.unarmor(data, True))
        else:
            objects.append(loader(data))
    return objects


def trust_roots() -> list[x509.Certificate]:
    """The roots a verifier trusts (the Ban Cơ yếu Chính phủ root in production)."""
    configured = _load(backends.signing_setting("TRUST_ROOTS"), x509.Certificate.load)
    return configured or [pki.root_certificate()]


def validation_context() -> ValidationContext:
    """What a signer embeds for PAdES B-LT: the chain and the revocation data. With the
    demo PKI nothing is fetched; otherwise the configured CRLs, and the CA's CRL and OCSP
    services when SIGNING_FETCH_REVOCATION is on."""
    if not backends.signing_setting("TRUST_ROOTS"):
        return pki.demo_validation_context()
    return ValidationContext(
        trust_roots=trust_roots(),
        other_certs=_load(backends.signing_setting("CERTS"), x509.Certificate.load),
        crls=_load(backends.signing_setting("CRLS"), crl.CertificateList.load),
        allow_fetching=bool(backends.signing_setting("FETCH_REVOCATION", False)),
        revocation_mode="hard-fail",
    )
