"""manage.py demo_pki: the demo PKI as files, identical on a second run."""

from __future__ import annotations

from io import StringIO

import pytest
from asn1crypto import crl, pem, x509
from django.core.management import call_command
from pyhanko.sign.signers import SimpleSigner

from signing import pki
from signing.demo_files import demo_signers


def _run(directory) -> str:
    out = StringIO()
    call_command("demo_pki", "--dir", str(directory), stdout=out)
    return out.getvalue()


def _snapshot(directory) -> dict:
    return {
        path.name: (path.read_bytes(), path.stat().st_mtime_ns, path.stat().st_mode & 0o777)
        for path in sorted(directory.iterdir())
    }


def _cert(path) -> x509.Certificate:
    return x509.Certificate.load(pem.unarmor(path.read_bytes())[2])


def test_demo_signers_are_the_minister_and_vice_ministers_of_the_demo():
    assert demo_signers() == ["botruong", "thutruong"]


@pytest.mark.parametrize("passphrase", [None, "mật khẩu"])
def test_demo_pki_writes_cas_tsa_crls_and_a_pkcs12_per_signer(tmp_path, monkeypatch, passphrase):
    if passphrase:
        monkeypatch.setenv("SIGNING_PKCS12_PASSPHRASE", passphrase)
    _run(tmp_path / "pki")
    directory = tmp_path / "pki"
    names = {p.name for p in directory.iterdir()}
    for key_id in ("botruong", "thutruong", "committee"):
        assert {f"{key_id}.p12", f"{key_id}.crt.pem", f"{key_id}.key.pem"} <= names
        signer = SimpleSigner.load_pkcs12(
            str(directory / f"{key_id}.p12"),
            passphrase=passphrase.encode() if passphrase else None,
        )
        assert signer.signing_cert.dump() == _cert(directory / f"{key_id}.crt.pem").dump()
        chain = {c.subject.human_friendly for c in signer.cert_registry}
        assert any("Signing CA" in s for s in chain) and any("Root CA" in s for s in chain)
    assert "Do Van Hai (DEMO)" in _cert(directory / "botruong.crt.pem").subject.human_friendly
    assert {"root.crt.pem", "interm.crt.pem", "tsa.crt.pem", "tsa.key.pem"} <= names
    revoked = crl.CertificateList.load((directory / "interm.crl").read_bytes())
    serials = {
        entry["user_certificate"].native
        for entry in revoked["tbs_cert_list"]["revoked_certificates"]
    }
    assert pki.demo_arch().get_cert(pki.REVOKED).serial_number in serials
    assert (directory / "root.crl").exists()
    for name in names:
        mode = (directory / name).stat().st_mode & 0o777
        private = name.endswith((".p12", ".key.pem"))
        assert mode == (0o600 if private else 0o644), name
    assert directory.stat().st_mode & 0o777 == 0o700


def test_running_demo_pki_twice_changes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("SIGNING_PKCS12_PASSPHRASE", "mật khẩu")
    first_out = _run(tmp_path)
    before = _snapshot(tmp_path)
    second_out = _run(tmp_path)
    assert _snapshot(tmp_path) == before  # same bytes, same modification times, same modes
    assert "0 unchanged" in first_out
    assert f"0 files written, {len(before)} unchanged" in second_out


def test_demo_pki_repairs_a_changed_or_exposed_file(tmp_path):
    _run(tmp_path)
    (tmp_path / "committee.p12").write_bytes(b"damaged")
    (tmp_path / "botruong.key.pem").chmod(0o644)
    assert "1 files written" in _run(tmp_path)
    assert SimpleSigner.load_pkcs12(str(tmp_path / "committee.p12")) is not None
    assert (tmp_path / "botruong.key.pem").stat().st_mode & 0o777 == 0o600
