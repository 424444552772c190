"""pyHanko's SimpleSigner (and its in-process TSA) with the private key parsed once.

SimpleSigner keeps the key as DER and parses it again at every raw signature, and
`cryptography` validates an RSA key as it parses it: about 45 ms for RSA-2048 on this
machine, twice per PDF (pyHanko signs once to size the signature field, then for real).
A signer object lives for one signature here, so the key is parsed, and validated, once
per object instead. Other mechanisms than RSA take pyHanko's own path.
"""

from __future__ import annotations

from datetime import datetime
from functools import cached_property

from asn1crypto import cms, core
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from pyhanko.sign import general
from pyhanko.sign.general import simple_cms_attribute
from pyhanko.sign.signers import SimpleSigner
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko_certvalidator.util import get_pyca_cryptography_hash, process_pss_params


class LoadedKeySigner(SimpleSigner):
    @classmethod
    def of(cls, signer: SimpleSigner) -> LoadedKeySigner:
        """The same key, certificate, chain and choices as ``signer``."""
        return cls(
            signing_cert=signer.signing_cert,
            signing_key=signer.signing_key,
            cert_registry=signer.cert_registry,
            signature_mechanism=signer.signature_mechanism,
            prefer_pss=signer.prefer_pss,
            embed_roots=signer.embed_roots,
        )

    @cached_property
    def _private_key(self):
        return serialization.load_der_private_key(self.signing_key.dump(), password=None)

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        key = self._private_key
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        try:
            algorithm = mechanism.signature_algo
        except ValueError:
            algorithm = mechanism["algorithm"].native
        if isinstance(key, RSAPrivateKey) and algorithm == "rsassa_pkcs1v15":
            return key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
        if isinstance(key, RSAPrivateKey) and algorithm == "rsassa_pss":
            padding, hash_algorithm = process_pss_params(mechanism["parameters"])
            return key.sign(data, padding, hash_algorithm)
        return super().sign_raw(data, digest_algorithm)


class LoadedKeyTimeStamper(DummyTimeStamper):
    """pyHanko's in-process TSA (the demo's and the tests'), with the same one parse of its
    key; `_sign_tst_info` is pyHanko 0.38's, but for where the key comes from."""

    @cached_property
    def _private_key(self) -> RSAPrivateKey:
        key = serialization.load_der_private_key(self.tsa_key.dump(), password=None)
        if not isinstance(key, RSAPrivateKey):
            raise NotImplementedError("Dummy timestamper is RSA-only.")
        return key

    def _sign_tst_info(
        self, tst_info_data: bytes, md_algorithm: str, dt: datetime
    ) -> tuple[bytes, cms.CMSAttributes]:
        digest = hashes.Hash(get_pyca_cryptography_hash(md_algorithm))
        digest.update(tst_info_data)
        signed_attrs = cms.CMSAttributes(
            [
                simple_cms_attribute("content_type", "tst_info"),
                simple_cms_attribute("signing_time", cms.Time({"utc_time": core.UTCTime(dt)})),
                simple_cms_attribute(
                    "signing_certificate", general.as_signing_certificate(self.tsa_cert)
                ),
                simple_cms_attribute("message_digest", digest.finalize()),
            ]
        )
        signature = self._private_key.sign(
            signed_attrs.dump(), PKCS1v15(), get_pyca_cryptography_hash(md_algorithm.upper())
        )
        return signature, signed_attrs
