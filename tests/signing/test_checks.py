"""Start-up checks of the signing keys (signing/checks.py): production refuses the demo
keys in any form, and a key file readable by others is refused everywhere."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from signing import backends, checks
from signing.demo_files import demo_pki_write
from tests.config.test_settings import _NOT_INHERITED, GOOD_ENV, ROOT
from tests.signing.helpers import other_pki


@pytest.fixture
def production(settings):
    """Production settings with SIGNING replaced per test (the backends re-opened)."""
    settings.IS_PRODUCTION = True

    def configure(environment: dict[str, str], monkeypatch=None):
        settings.SIGNING = {
            **settings.SIGNING,
            "BACKEND": environment.get("SIGNING_BACKEND", "demo"),
            "PKCS12_DIR": environment.get("SIGNING_PKCS12_DIR", ""),
            "TSA_URL": environment.get("SIGNING_TSA_URL", ""),
            "TRUST_ROOTS": [r for r in environment.get("SIGNING_TRUST_ROOTS", "").split(",") if r],
        }
        for key in ("SIGNING_PKCS12_PASSPHRASE",):
            if key in environment:
                os.environ[key] = environment[key]
        backends.reset()

    yield configure
    os.environ.pop("SIGNING_PKCS12_PASSPHRASE", None)
    backends.reset()


def _ids(messages) -> list[str]:
    return sorted(m.id for m in messages)


def test_production_with_real_keys_passes(production, tmp_path):
    production(other_pki(tmp_path))
    assert checks.check_no_demo_keys() == []
    assert checks.check_key_file_permissions() == []


def test_production_refuses_the_demo_backend(production):
    production({"SIGNING_BACKEND": "demo"})
    assert _ids(checks.check_no_demo_keys()) == ["signing.E001"]


def test_production_refuses_demo_certificates_in_pkcs12_files(production, tmp_path):
    """demo_pki's files carry the demo keys: refused even with a real TSA and root."""
    environment = other_pki(tmp_path)
    os.remove(tmp_path / "committee.p12")
    demo_pki_write(directory=tmp_path)  # the demo's committee.p12, no passphrase
    environment.pop("SIGNING_PKCS12_PASSPHRASE")
    production(environment)
    errors = checks.check_no_demo_keys()
    assert "signing.E002" in _ids(errors)
    assert any("'committee'" in e.msg for e in errors)


def test_production_refuses_the_demo_root_and_demo_tsa(production, tmp_path):
    environment = other_pki(tmp_path)
    demo_pki_write(directory=tmp_path / "demo")
    environment["SIGNING_TRUST_ROOTS"] = str(tmp_path / "demo" / "root.crt.pem")
    environment.pop("SIGNING_TSA_URL")
    production(environment)
    assert _ids(checks.check_no_demo_keys()) == ["signing.E002", "signing.E003"]


def test_production_reports_keys_that_cannot_be_opened(production, tmp_path):
    environment = other_pki(tmp_path)
    environment["SIGNING_PKCS12_PASSPHRASE"] = "sai"
    production(environment)
    errors = checks.check_no_demo_keys()
    assert _ids(errors) == ["signing.E005"]
    assert "sai" not in errors[0].msg


def test_demo_keys_are_fine_outside_production(settings):
    settings.IS_PRODUCTION = False
    assert checks.check_no_demo_keys() == []


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o660])
def test_a_key_file_readable_by_others_is_refused(settings, tmp_path, mode):
    demo_pki_write(directory=tmp_path)
    settings.SIGNING = {**settings.SIGNING, "BACKEND": "pkcs12", "PKCS12_DIR": str(tmp_path)}
    assert checks.check_key_file_permissions() == []
    os.chmod(tmp_path / "committee.p12", mode)
    os.chmod(tmp_path / "botruong.key.pem", mode)
    errors = checks.check_key_file_permissions()
    assert _ids(errors) == ["signing.E004", "signing.E004"]
    assert "chmod 600" in errors[0].hint


def test_check_deploy_refuses_demo_pki_files_under_production_settings(tmp_path):
    """The real thing: scripts/update.sh's check under the production settings module."""
    demo_pki_write(directory=tmp_path)
    env = {k: v for k, v in os.environ.items() if k not in _NOT_INHERITED} | GOOD_ENV
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SIGNING_PKCS12_DIR": str(tmp_path),
        "SIGNING_TSA_URL": "https://tsa.example.vn/tsr",
        "SIGNING_TRUST_ROOTS": str(tmp_path / "root.crt.pem"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode != 0
    assert "signing.E002" in result.stderr
