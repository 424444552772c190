"""The test PKI and timestamp authority the deploy smoke run gives its production servers
(tests/signing/helpers.py other_pki with signers and a TSA, tests/signing/tsa_server.py):
a signer's PKCS#12 key signs, the TSA answers over real HTTP, and the signature verifies
as trusted and time-stamped against the test root alone."""

from __future__ import annotations

import threading

import pytest

from signing import backends, keys
from signing.pades import sign_pdf, verify_pdf
from tests.signing.helpers import other_pki
from tests.signing.test_pades import blank_pdf
from tests.signing.tsa_server import tsa_server


@pytest.fixture
def production_pki(tmp_path, settings, monkeypatch):
    environment = other_pki(tmp_path / "keys", signers=["botruong"], tsa_dir=tmp_path / "tsa")
    server = tsa_server(tmp_path / "tsa", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("SIGNING_PKCS12_PASSPHRASE", environment["SIGNING_PKCS12_PASSPHRASE"])
    settings.SIGNING = {
        **settings.SIGNING,
        "BACKEND": "pkcs12",
        "PKCS12_DIR": environment["SIGNING_PKCS12_DIR"],
        "TSA_URL": f"http://127.0.0.1:{server.server_address[1]}/tsr",
        "TRUST_ROOTS": [environment["SIGNING_TRUST_ROOTS"]],
    }
    backends.reset()
    yield
    server.shutdown()
    server.server_close()
    backends.reset()


def _sign(key_id: str) -> bytes:
    return sign_pdf(
        blank_pdf(),
        signer=backends.backend().signer(key_id),
        field_name="ChuKyNguoiKy",
        reason="Ký ban hành",
        location="Hà Nội",
        stamp_image_png=None,
        signer_name="Đỗ Văn Hải",
        signer_title="BỘ TRƯỞNG, CHỦ NHIỆM",
        on_behalf_line=None,
        timestamper=keys.timestamper(),
        validation_context=keys.validation_context(),
    )


@pytest.mark.parametrize("key_id", ["botruong", "committee"])
def test_each_key_signs_with_a_timestamp_from_the_http_tsa(production_pki, key_id):
    [report] = verify_pdf(_sign(key_id), trust_roots=keys.trust_roots())
    assert report.ok and report.timestamped, report.summary
    assert report.pades_level == "B-LT"


def test_the_tsa_refuses_a_body_that_is_no_timestamp_request(production_pki, settings):
    import requests

    answer = requests.post(settings.SIGNING["TSA_URL"], data=b"not DER", timeout=5)
    assert answer.status_code == 400


def test_a_signature_is_not_trusted_without_the_test_root(production_pki):
    from signing import pki

    [report] = verify_pdf(_sign("botruong"), trust_roots=[pki.root_certificate()])
    assert report.intact and not report.trusted
