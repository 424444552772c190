"""The signer and the demo TSA parse their key once, and sign exactly as pyHanko's own
classes do; the demo's CRLs, built once per CRL number, are the ones certomancer builds."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from asn1crypto import algos
from cryptography import x509 as pyca_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from pyhanko.sign.signers import SimpleSigner
from pyhanko_certvalidator.util import process_pss_params

from signing import pki
from signing.loaded_key import LoadedKeySigner

DATA = b"Ke hoach ung dung CNTT 2026"


def _verify(signer, signature: bytes, mechanism: algos.SignedDigestAlgorithm) -> None:
    """Raises unless `signature` is the signer's over DATA, checked with the certificate."""
    public = pyca_x509.load_der_x509_certificate(signer.signing_cert.dump()).public_key()
    if mechanism.signature_algo == "rsassa_pss":
        padding, digest = process_pss_params(mechanism["parameters"])
    else:
        padding, digest = PKCS1v15(), hashes.SHA256()
    public.verify(signature, DATA, padding, digest)


@pytest.mark.parametrize("pss", [False, True])
def test_signatures_verify_like_pyhankos_and_the_key_is_parsed_once(pss):
    stock = pki.demo_signer("botruong")
    stock = SimpleSigner(
        signing_cert=stock.signing_cert,
        signing_key=stock.signing_key,
        cert_registry=stock.cert_registry,
        prefer_pss=pss,
    )
    signer = LoadedKeySigner.of(stock)
    mechanism = signer.get_signature_mechanism_for_digest("sha256")
    assert mechanism.dump() == stock.get_signature_mechanism_for_digest("sha256").dump()
    assert ("pss" in mechanism.signature_algo) is pss

    with mock.patch.object(
        serialization, "load_der_private_key", wraps=serialization.load_der_private_key
    ) as parse:
        signatures = [signer.sign_raw(DATA, "sha256") for _ in range(3)]
    assert parse.call_count == 1
    for signature in signatures:
        _verify(signer, signature, mechanism)
    _verify(signer, stock.sign_raw(DATA, "sha256"), mechanism)


@pytest.mark.parametrize("days", [0, 1, 29, 30, 31, 365, 400])
def test_demo_crls_are_certomancers_for_every_day(days):
    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(days=days)
    services = pki.demo_arch().service_registry
    expected = [services.get_crl(info.label, at).dump() for info in services.list_crl_repos()]
    assert [c.dump() for c in pki.demo_crls(at)] == expected
