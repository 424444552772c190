"""What README's "Deploying" tells the administrator to install for the task queue: the
worker's unit, the environment template's queue settings, the update command."""

from __future__ import annotations

import json
import secrets
import subprocess

from tests.processes import PYTHON, ROOT


def unit(name: str) -> dict[str, str]:
    values = {}
    for line in (ROOT / "deploy" / name).read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            values[key] = value
    return values


def template_env(**overrides: str) -> dict[str, str]:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    for line in (ROOT / "deploy" / "ubdt.env.example").read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            env[key] = value
    env["SECRET_KEY"] = secrets.token_urlsafe(64)
    env.update(overrides)
    return env


def huey_settings(env: dict[str, str]) -> dict:
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.HUEY))"
    )
    done = subprocess.run(
        [PYTHON, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def test_the_worker_unit_runs_huey_with_the_environment_file():
    worker, web = unit("ubdt-worker.service"), unit("ubdt-web.service")
    assert worker["ExecStart"] == "/srv/ubdt/.venv/bin/python /srv/ubdt/manage.py run_huey"
    for key in ("EnvironmentFile", "User", "WorkingDirectory"):
        assert worker[key] == web[key]
    assert worker["KillSignal"] == "SIGINT"  # huey's graceful stop
    assert worker["Restart"] == "always"


def test_update_restarts_the_worker_with_the_web_service():
    assert "for unit in ubdt-web ubdt-worker; do" in (ROOT / "scripts/update.sh").read_text()


def test_the_environment_template_puts_the_queue_on_redis_with_the_schedule():
    huey = huey_settings(template_env())
    assert huey["huey_class"] == "huey.RedisHuey"
    assert huey["url"] == "redis://127.0.0.1:6379/0"
    assert huey["utc"] is True and huey["immediate"] is False
    assert huey["consumer"]["periodic"] is True


def test_the_other_machines_leave_the_schedule_to_one():
    assert huey_settings(template_env(HUEY_PERIODIC="false"))["consumer"]["periodic"] is False


def shared_state_settings(env: dict[str, str]) -> dict:
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps({'cache': settings.CACHES['default'], "
        "'storage': settings.STORAGES['default'], 'media': str(settings.MEDIA_ROOT)}))"
    )
    done = subprocess.run(
        [PYTHON, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def test_the_environment_file_shares_the_cache_between_web_processes():
    """Every app server must see the same rate limits: the template puts the cache on
    Redis; without CACHE_REDIS_URL it is the process's own memory (demo, tests)."""
    env = template_env(DJANGO_SETTINGS_MODULE="config.settings.production")
    shared = shared_state_settings(env)
    assert shared["cache"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert shared["cache"]["LOCATION"] == "redis://127.0.0.1:6379/3"
    assert shared["media"] == "/srv/ubdt/media"
    alone = shared_state_settings(
        template_env(DJANGO_SETTINGS_MODULE="config.settings.production", CACHE_REDIS_URL="")
    )
    assert alone["cache"]["BACKEND"].endswith("LocMemCache")


def test_uploaded_files_go_to_s3_compatible_storage_when_a_bucket_is_named():
    env = template_env(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        S3_BUCKET="ubdt-files",
        S3_ENDPOINT_URL="https://s3.ubdt.gov.vn",
    )
    storage = shared_state_settings(env)["storage"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "ubdt-files"
    assert storage["OPTIONS"]["endpoint_url"] == "https://s3.ubdt.gov.vn"
    assert storage["OPTIONS"]["default_acl"] == "private"
    local = shared_state_settings(template_env(DJANGO_SETTINGS_MODULE="config.settings.production"))
    assert local["storage"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
