"""Production must refuse to start rather than run insecurely: each guard is checked by
importing the production settings in a fresh interpreter with a crafted environment."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.signing.helpers import other_pki

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k3Y-" + "x9Qp2vLm7RtZ4wNc8HjB6dFs1GaE5uYo0iKe3TrWq7PzMn2Lb4" * 2
# Variables of the test process that a production server would not have.
_NOT_INHERITED = {"DJANGO_SETTINGS_MODULE", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
GOOD_ENV = {
    "SECRET_KEY": GOOD_KEY,
    "DATABASE_URL": "postgres://u:p@127.0.0.1:5432/ubdt",
    "ALLOWED_HOSTS": "khcntt.ubdt.gov.vn",
    "SIGNING_BACKEND": "pkcs12",
}


def _start(env_overrides: dict[str, str | None]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in _NOT_INHERITED} | GOOD_ENV
    for key, value in env_overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_starts_with_a_proper_environment():
    result = _start({})
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"SECRET_KEY": None}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"SECRET_KEY": "django-insecure-" + "a1b2c3d4e5" * 6}, "SECRET_KEY"),
        ({"SECRET_KEY": "a" * 60}, "SECRET_KEY"),
        ({"DEBUG": "true"}, "DEBUG"),
        ({"DATABASE_URL": None}, "DATABASE_URL"),
        ({"SIGNING_BACKEND": None}, "SIGNING_BACKEND"),
        ({"SIGNING_BACKEND": "demo"}, "SIGNING_BACKEND"),
    ],
    ids=[
        "no-key",
        "short-key",
        "insecure-default-key",
        "one-letter-key",
        "debug-on",
        "no-db",
        "no-signing-backend",
        "demo-keys",
    ],
)
def test_production_refuses_to_start(overrides, message):
    result = _start(overrides)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in _NOT_INHERITED} | GOOD_ENV
    env |= other_pki(tmp_path / "keys")
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_database_in_use_is_configured_for_its_engine(settings):
    from django.db import connection

    options = settings.DATABASES["default"].get("OPTIONS", {})
    if connection.vendor == "sqlite":
        assert options["transaction_mode"] == "IMMEDIATE"
        assert "journal_mode=WAL" in options["init_command"]
        assert "busy_timeout" in options["init_command"]
    else:
        assert connection.vendor == "postgresql"
        assert "transaction_mode" not in options


def test_sqlite_file_database_runs_in_wal_mode(tmp_path):
    from config.settings.base import _tune_sqlite

    db = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "x.sqlite3")}
    _tune_sqlite(db)
    import sqlite3

    conn = sqlite3.connect(db["NAME"])
    conn.executescript(db["OPTIONS"]["init_command"])
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_sqlite_options_are_not_applied_to_postgres():
    from config.settings.base import _tune_sqlite

    db = {"ENGINE": "django.db.backends.postgresql", "NAME": "x"}
    _tune_sqlite(db)
    assert "OPTIONS" not in db
