"""The key backends behind signing.keys: PKCS#12 files (from demo_pki), a PKCS#11 token
(SoftHSM2) and a remote-signing service (a local fake), each signing a PDF that
signing.pades.verify_pdf finds valid and trusted."""

from __future__ import annotations

import base64
import json
import logging
import os
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, utils
from django.core.exceptions import ImproperlyConfigured

from organisation.models import Person
from signing import backends, keys, pki
from signing.backends.remote import RemoteSigningError
from signing.demo_files import demo_pki_write
from signing.pades import sign_pdf, verify_pdf
from tests.signing.test_pades import blank_pdf, signature_png

PASSPHRASE = "mật-khẩu-demo-2026"
SOFTHSM = "/usr/lib/softhsm/libsofthsm2.so"
PIN = "246810"


@pytest.fixture
def signing_settings(settings):
    """Change settings.SIGNING for one test, with the backends re-opened before and after."""

    def configure(**values):
        settings.SIGNING = {**settings.SIGNING, **values}
        backends.reset()

    yield configure
    backends.reset()


@pytest.fixture
def pkcs12_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("SIGNING_PKCS12_PASSPHRASE", PASSPHRASE)
    directory = tmp_path / "pki"
    demo_pki_write(directory=directory)
    return directory


def _sign_and_verify(signer) -> list:
    signed = sign_pdf(
        blank_pdf(),
        signer=signer,
        field_name="ChuKyNguoiKy",
        reason="Ký ban hành",
        location="Hà Nội",
        stamp_image_png=signature_png(),
        signer_name="Đỗ Văn Hải",
        signer_title="BỘ TRƯỞNG, CHỦ NHIỆM",
        on_behalf_line=None,
        timestamper=keys.timestamper(),
        validation_context=keys.validation_context(),
    )
    return verify_pdf(signed, trust_roots=keys.trust_roots())


# --- PKCS#12 --------------------------------------------------------------------------


def test_pkcs12_backend_signs_with_each_signers_own_file(demo_org, pkcs12_dir, signing_settings):
    signing_settings(BACKEND="pkcs12", PKCS12_DIR=str(pkcs12_dir))
    minister = Person.objects.get(username="botruong")

    [report] = _sign_and_verify(keys.signer_for(minister))

    assert report.ok and report.trusted and report.timestamped
    assert "Do Van Hai (DEMO)" in report.signer_subject
    assert "Uy ban Dan toc (DEMO)" in keys.committee_signer().signing_cert.subject.human_friendly


def test_pkcs12_backend_refuses_a_wrong_passphrase_and_a_missing_file(
    demo_org, pkcs12_dir, signing_settings, monkeypatch
):
    signing_settings(BACKEND="pkcs12", PKCS12_DIR=str(pkcs12_dir))
    monkeypatch.setenv("SIGNING_PKCS12_PASSPHRASE_COMMITTEE", "sai")
    with pytest.raises(ImproperlyConfigured, match="cannot be opened"):
        keys.committee_signer()
    (pkcs12_dir / "thutruong.p12").unlink()
    with pytest.raises(ImproperlyConfigured, match="No PKCS#12 file"):
        keys.signer_for(Person.objects.get(username="thutruong"))


def test_signing_logs_no_key_material(demo_org, pkcs12_dir, signing_settings, caplog):
    """Run a whole signature with every logger at DEBUG: neither a key (PEM, DER or
    base64 of either), nor the passphrase, appears in what was logged."""
    signing_settings(BACKEND="pkcs12", PKCS12_DIR=str(pkcs12_dir))
    caplog.set_level(logging.DEBUG)
    logging.getLogger().setLevel(logging.DEBUG)
    [report] = _sign_and_verify(keys.signer_for(Person.objects.get(username="botruong")))
    assert report.ok
    keys.committee_signer()
    logged = "\n".join(
        f"{record.getMessage()} {record.args!r} {record.exc_text or ''}"
        for record in caplog.records
    )
    key = pki.demo_arch().key_set.get_private_key("minister")
    pkcs1 = key["private_key"].parsed.dump()
    forbidden = [
        "PRIVATE KEY",
        PASSPHRASE,
        base64.b64encode(key.dump()).decode()[:40],
        base64.b64encode(pkcs1).decode()[:40],
        key.dump()[:40].hex(),
        str(key["private_key"].parsed["private_exponent"].native)[:40],
    ]
    assert caplog.records  # the run did log something
    for secret in forbidden:
        assert secret not in logged


# --- PKCS#11 (SoftHSM2) ---------------------------------------------------------------


@pytest.fixture(scope="session")
def softhsm_token(tmp_path_factory):
    """A SoftHSM2 token holding the demo Minister's and Committee's keys and certificates,
    labelled by key id as the backend expects. One per test session: a PKCS#11 library is
    initialised once per process."""
    if not (Path(SOFTHSM).exists() and shutil.which("softhsm2-util")):
        pytest.skip("softhsm2 is not installed (scripts/system-packages.sh)")
    import pkcs11
    from pkcs11 import Attribute
    from pkcs11.util.rsa import decode_rsa_private_key
    from pkcs11.util.x509 import decode_x509_certificate

    base = tmp_path_factory.mktemp("softhsm")
    (base / "tokens").mkdir()
    conf = base / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {base / 'tokens'}\nobjectstore.backend = file\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    subprocess.run(
        ["softhsm2-util", "--init-token", "--free", "--label", "ubdt-test",
         "--pin", PIN, "--so-pin", "13579"],
        check=True, capture_output=True,
    )  # fmt: skip
    token = pkcs11.lib(SOFTHSM).get_token(token_label="ubdt-test")
    arch = pki.demo_arch()
    with token.open(rw=True, user_pin=PIN) as session:
        for key_id, label in (("botruong", "botruong"), ("committee", pki.COMMITTEE)):
            spec = arch.get_cert_spec(label)
            info = arch.key_set.get_private_key(spec.subject_key)
            attrs = decode_rsa_private_key(info["private_key"].parsed.dump())
            attrs.update({Attribute.LABEL: key_id, Attribute.ID: key_id.encode(),
                          Attribute.TOKEN: True, Attribute.SENSITIVE: True,
                          Attribute.EXTRACTABLE: False, Attribute.SIGN: True})  # fmt: skip
            session.create_object(attrs)
            cert = decode_x509_certificate(arch.get_cert(label).dump())
            cert.update({Attribute.LABEL: key_id, Attribute.ID: key_id.encode(),
                         Attribute.TOKEN: True})  # fmt: skip
            session.create_object(cert)
    return "ubdt-test"


def test_pkcs11_backend_signs_on_the_token(demo_org, softhsm_token, signing_settings, monkeypatch):
    monkeypatch.setenv("SIGNING_PKCS11_PIN", PIN)
    signing_settings(BACKEND="pkcs11", PKCS11_MODULE=SOFTHSM, PKCS11_TOKEN_LABEL=softhsm_token)
    try:
        [report] = _sign_and_verify(keys.signer_for(Person.objects.get(username="botruong")))
        committee = keys.committee_signer()
        assert "Uy ban Dan toc (DEMO)" in committee.signing_cert.subject.human_friendly
    finally:
        backends.backend().close()
    assert report.ok and report.trusted and report.timestamped
    assert "Do Van Hai (DEMO)" in report.signer_subject


def test_pkcs11_backend_needs_module_and_token(signing_settings):
    signing_settings(BACKEND="pkcs11", PKCS11_MODULE="", PKCS11_TOKEN_LABEL="")
    with pytest.raises(ImproperlyConfigured):
        keys.committee_signer()


# --- Remote signing (a local fake service) --------------------------------------------


class FakeSigningService(BaseHTTPRequestHandler):
    """The interface signing.backends.remote documents, answered with the demo keys."""

    token = "jeton-thu"
    requests: list = []

    def log_message(self, *args):  # keep the test output clean
        pass

    def _answer(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _key(self) -> tuple[str, str] | None:
        parts = self.path.strip("/").split("/")
        if len(parts) != 3 or parts[0] != "keys":
            return None
        return parts[1], parts[2]

    def _authorised(self) -> bool:
        return self.headers.get("Authorization") == f"Bearer {self.token}"

    def do_GET(self):
        route = self._key()
        if not self._authorised():
            return self._answer(401, {"error": "unauthorised"})
        if route is None or route[1] != "certificates":
            return self._answer(404, {"error": "not found"})
        arch = pki.demo_arch()
        label = pki.demo_label(route[0])
        chain = [arch.get_cert(label), *(arch.get_cert(c) for c in arch.get_chain(label))]
        self._answer(200, {"certificates": [base64.b64encode(c.dump()).decode() for c in chain]})

    def do_POST(self):
        route = self._key()
        if not self._authorised():
            return self._answer(401, {"error": "unauthorised"})
        if route is None or route[1] != "sign":
            return self._answer(404, {"error": "not found"})
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append(body)
        arch = pki.demo_arch()
        info = arch.key_set.get_private_key(
            arch.get_cert_spec(pki.demo_label(route[0])).subject_key
        )
        key = serialization.load_der_private_key(info.dump(), password=None)
        assert body["digest_algorithm"] == "sha256"
        signature = key.sign(
            base64.b64decode(body["digest"]),
            padding.PKCS1v15(),
            utils.Prehashed(hashes.SHA256()),
        )
        self._answer(200, {"signature": base64.b64encode(signature).decode()})


@pytest.fixture
def remote_service():
    FakeSigningService.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeSigningService)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_remote_backend_signs_through_the_service(
    demo_org, remote_service, signing_settings, monkeypatch
):
    monkeypatch.setenv("SIGNING_REMOTE_TOKEN", FakeSigningService.token)
    signing_settings(BACKEND="remote", REMOTE_URL=remote_service)

    [report] = _sign_and_verify(keys.signer_for(Person.objects.get(username="thutruong")))

    assert report.ok and report.trusted and report.timestamped
    assert "Hoang Thi Lan (DEMO)" in report.signer_subject
    [request] = FakeSigningService.requests  # the field was sized without a call
    assert set(request) == {"digest_algorithm", "signature_algorithm", "digest"}
    assert len(base64.b64decode(request["digest"])) == 32  # a digest, never the document


def test_remote_backend_reports_a_refusing_service(
    demo_org, remote_service, signing_settings, monkeypatch
):
    monkeypatch.setenv("SIGNING_REMOTE_TOKEN", "wrong")
    signing_settings(BACKEND="remote", REMOTE_URL=remote_service)
    with pytest.raises(RemoteSigningError, match="failed"):
        keys.committee_signer()


def test_an_unknown_backend_is_refused(signing_settings):
    signing_settings(BACKEND="usb")
    with pytest.raises(ImproperlyConfigured, match="demo, pkcs12, pkcs11 or remote"):
        keys.committee_signer()


def test_a_configured_tsa_url_is_an_rfc3161_client(signing_settings):
    from pyhanko.sign.timestamps import HTTPTimeStamper

    signing_settings(TSA_URL="https://tsa.example.vn/tsr")
    assert isinstance(keys.timestamper(), HTTPTimeStamper)


def test_configured_trust_roots_certs_and_crls_give_b_lt_signatures(
    demo_org, signing_settings, pkcs12_dir
):
    """The files demo_pki wrote, configured as a production server configures its own."""
    signing_settings(
        BACKEND="pkcs12",
        PKCS12_DIR=str(pkcs12_dir),
        TRUST_ROOTS=[str(pkcs12_dir / "root.crt.pem")],
        CERTS=[str(pkcs12_dir / "interm.crt.pem")],
        CRLS=[str(pkcs12_dir / "interm.crl"), str(pkcs12_dir / "root.crl")],
    )
    assert [c.dump() for c in keys.trust_roots()] == [pki.root_certificate().dump()]
    [report] = _sign_and_verify(keys.committee_signer())
    assert report.ok and report.pades_level == "B-LT"


def test_demo_backend_gives_demo_signers_their_own_and_others_the_role_certificate(demo_org):
    from tests.factories import PersonFactory

    def subject(person) -> str:
        return keys.signer_for(person).signing_cert.subject.human_friendly

    assert "Do Van Hai (DEMO)" in subject(Person.objects.get(username="botruong"))
    assert "Hoang Thi Lan (DEMO)" in subject(Person.objects.get(username="thutruong"))
    assert "Bo truong Chu nhiem (DEMO)" in subject(PersonFactory(role="minister"))
    assert "Thu truong Pho Chu nhiem (DEMO)" in subject(PersonFactory(role="vice_minister"))


def test_no_key_material_reaches_the_database(demo_org, pkcs12_dir, signing_settings):
    """After a signature and a signed checkpoint through the file backend, a dump of the
    whole database holds no private key and no passphrase."""
    from io import StringIO

    from django.core.management import call_command

    from signing.checkpoints import audit_checkpoint_sign
    from workflows import audit

    signing_settings(BACKEND="pkcs12", PKCS12_DIR=str(pkcs12_dir))
    audit.record(action=audit.DENIED, comment="trước khi ký")
    assert _sign_and_verify(keys.signer_for(Person.objects.get(username="botruong")))[0].ok
    audit_checkpoint_sign()
    out = StringIO()
    call_command("dumpdata", "signing", "workflows", "outbox", "organisation.person", stdout=out)
    dump = out.getvalue()
    assert '"model": "signing.auditcheckpoint"' in dump
    for label in ("minister", "committee"):
        key = pki.demo_arch().key_set.get_private_key(label)
        assert base64.b64encode(key.dump()).decode()[:40] not in dump
        assert base64.b64encode(key["private_key"].parsed.dump()).decode()[:40] not in dump
    assert "PRIVATE KEY" not in dump and PASSPHRASE not in dump


# --- A key not installed on this server -----------------------------------------------


def _post_step(client, document, data):
    from django.urls import reverse

    from tests.workflows import helpers as h

    task = h.open_task(document)
    return client.post(
        reverse("workflows:act", args=[document.pk, task.pk]),
        {"version": document.version, "comment": "", **data},
    )


@pytest.mark.parametrize(
    ("state", "username", "key_file", "data"),
    [
        ("endorsed", "botruong", "botruong.p12", {"action": "sign", "password": None}),
        ("signed", "vanthu.vp", "committee.p12", {"action": "issue", "issued_on": ""}),
    ],
    ids=["signer", "committee"],
)
def test_a_key_missing_on_this_server_refuses_the_step_by_name_and_changes_nothing(
    demo_org, pkcs12_dir, signing_settings, client, caplog, state, username, key_file, data
):
    """A signer whose PKCS#12 file was never copied to this app server (README: every
    server needs the same keys) is told whose key is missing, with a 400: not a 500, and
    nothing signed, numbered or dispatched."""
    from issuance.models import Dispatch, IssuedCopy
    from organisation.demo import DEMO_PASSWORD
    from tests.workflows import helpers as h
    from workflows.models import Document

    document = h.make_plan(state)
    signing_settings(BACKEND="pkcs12", PKCS12_DIR=str(pkcs12_dir))
    (pkcs12_dir / key_file).unlink()
    copies_before = list(IssuedCopy.objects.values())
    before = Document.objects.values().get(pk=document.pk)
    client.force_login(h.person(username))
    client.cookies["ubdt_language"] = "en"
    if data.get("password", "") is None:
        data = {**data, "password": DEMO_PASSWORD}

    with caplog.at_level(logging.ERROR, logger="issuance.services"):
        response = _post_step(client, document, data)

    assert response.status_code == 400
    key = key_file.removesuffix(".p12")
    assert f"The signing key of “{key}” is not installed on this server" in (
        response.content.decode()
    )
    assert Document.objects.values().get(pk=document.pk) == before
    assert list(IssuedCopy.objects.values()) == copies_before
    assert not Dispatch.objects.filter(document=document).exists()
    assert any(f"key {key!r}" in r.getMessage() for r in caplog.records)
    assert str(pkcs12_dir) not in response.content.decode()
