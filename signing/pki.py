"""The demo and test PKI, declared once in ``signing/pki/certomancer.yml`` and served
in-process: a root CA, an intermediate that issues the signers' certificates, an OCSP
responder, CRLs for both CAs and an RFC 3161 timestamp authority. Nothing here opens a
socket, so tests and the demo reach no outside service. Its keys are public: never use
them for a real document."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

from asn1crypto import crl, x509
from certomancer.registry import CertomancerConfig, PKIArchitecture
from certomancer.registry.common import CertomancerObjectNotFoundError
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from .loaded_key import LoadedKeySigner, LoadedKeyTimeStamper

PKI_DIR = Path(__file__).resolve().parent / "pki"
CONFIG = PKI_DIR / "certomancer.yml"
ARCH = "ubdt-demo"

MINISTER = "minister"
VICE_MINISTER = "vice-minister"
COMMITTEE = "committee"
# A certificate without the non-repudiation key usage: signing with it must be refused.
NO_NON_REPUDIATION = "no-nr"
# A certificate revoked on 01/01/2025 (listed in the intermediate's CRL).
REVOKED = "revoked"


@cache
def demo_arch() -> PKIArchitecture:
    config = CertomancerConfig.from_file(str(CONFIG), key_search_dir=str(PKI_DIR))
    return config.get_pki_arch(ARCH)


def root_certificate() -> x509.Certificate:
    return demo_arch().get_cert("root")


def intermediate_certificates() -> list[x509.Certificate]:
    return [demo_arch().get_cert("interm")]


def demo_label(key_id: str) -> str:
    """The certificate of ``key_id`` (a sign-in name or ``committee``): the signer's own
    when the PKI declares one (the demo accounts), otherwise the Vice-Minister's (people
    made up by tests), as the demo signs for anyone holding the signing role."""
    try:
        demo_arch().get_cert_spec(key_id)
    except CertomancerObjectNotFoundError:
        return VICE_MINISTER
    return key_id


def demo_signer(label: str) -> LoadedKeySigner:
    """A pyHanko signer holding the demo key and certificate ``label`` with its chain."""
    arch = demo_arch()
    cert = arch.get_cert(label)
    chain = [arch.get_cert(link) for link in arch.get_chain(label)]
    return LoadedKeySigner(
        signing_cert=cert,
        signing_key=arch.key_set.get_private_key(arch.get_cert_spec(label).subject_key),
        cert_registry=SimpleCertificateStore.from_certs([cert, *chain]),
    )


def demo_timestamper() -> LoadedKeyTimeStamper:
    """The demo TSA, answering in-process with the TSA certificate of the PKI."""
    arch = demo_arch()
    return LoadedKeyTimeStamper(
        tsa_cert=arch.get_cert("tsa"),
        tsa_key=arch.key_set.get_private_key("tsa"),
        certs_to_embed=SimpleCertificateStore.from_certs([arch.get_cert("root")]),
    )


def demo_crls(at: dt.datetime | None = None) -> list[crl.CertificateList]:
    """The latest CRL of every CA of the PKI at ``at`` (now by default)."""
    at = at or dt.datetime.now(dt.UTC)
    arch = demo_arch()
    crls = []
    for info in arch.service_registry.list_crl_repos():
        # Certomancer numbers a CRL by the update periods since its issuer's certificate
        # began, and builds (signs) it on every call: the same number is the same CRL.
        issuer = arch.get_cert(info.issuer_cert or info.resolve_issuer_cert(arch))
        elapsed = at - issuer.not_valid_before
        if elapsed < dt.timedelta(0):
            crls.append(arch.service_registry.get_crl(info.label, at))  # its error
        else:
            crls.append(_crl(info.label, elapsed // info.simulated_update_schedule))
    return crls


@cache
def _crl(label: str, number: int) -> crl.CertificateList:
    return demo_arch().service_registry.get_crl(label, number=number)


def demo_validation_context(*, at: dt.datetime | None = None) -> ValidationContext:
    """What a signer needs to embed revocation information (PAdES B-LT) without fetching:
    the trust root, the intermediate and the CRLs, all from the demo PKI."""
    return ValidationContext(
        trust_roots=[root_certificate()],
        other_certs=intermediate_certificates(),
        crls=demo_crls(at),
        allow_fetching=False,
        revocation_mode="hard-fail",
    )
