"""A real huey worker (`manage.py run_huey`, production settings) against Redis: the
web side's commit enqueues the delivery in Redis, the worker process sends the mail to a
real SMTP server, and `manage.py queue_check` sees it answer. Selected only when
TEST_REDIS_URL names a Redis server (.ci/run starts Debian's redis-server)."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import textwrap
import uuid

import pytest

from outbox.models import Mail, Status
from tests.processes import PYTHON, ROOT, child_env, manage, wait_until
from tests.signing.helpers import other_pki

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

PRODUCER = textwrap.dedent(
    """
    import django
    django.setup()
    from django.db import transaction
    from workflows.notifications import queue_mail

    with transaction.atomic():
        queue_mail(key="redis:{n}", to=["thanhtra@example.gov.vn"], subject="Qua Redis {n}",
                   body="Giao bởi một tiến trình huey thật.")
    """
)


@pytest.fixture
def production_env(smtp, tmp_path):
    redis_url = os.environ["TEST_REDIS_URL"]
    name = f"ubdt-test-{uuid.uuid4().hex[:12]}"
    env = child_env(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1",
        HUEY_REDIS_URL=redis_url,
        HUEY_NAME=name,
        HUEY_WORKERS="2",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp.port),
        EMAIL_USE_TLS="false",
        LOG_LEVEL="INFO",
        **other_pki(tmp_path / "keys"),
    )
    env.pop("DEBUG", None)
    yield env
    import redis

    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(f"*{name}*"))
    if keys:
        client.delete(*keys)


def test_a_real_worker_delivers_through_redis(smtp, production_env, tmp_path):
    smtp.start()
    log = (tmp_path / "worker.log").open("w+")
    worker = subprocess.Popen(
        [PYTHON, "manage.py", "run_huey"], cwd=ROOT, env=production_env, stdout=log, stderr=log
    )
    try:
        check = manage("queue_check", "--timeout", "60", env=production_env)
        assert check.returncode == 0, check.stderr + (log.seek(0) or log.read())
        assert "RedisHuey" in check.stdout

        for n in (1, 2):
            subprocess.run(
                [PYTHON, "-c", PRODUCER.format(n=n)],
                cwd=ROOT,
                env=production_env,
                check=True,
                timeout=120,
            )
        assert wait_until(lambda: len(smtp.messages) >= 2, timeout=60), log.seek(0) or log.read()
        assert wait_until(lambda: Mail.objects.filter(status=Status.SENT).count() == 2)
        assert sorted(smtp.keys()) == ["redis:1", "redis:2"]
        log.seek(0)
        assert "outbox.tasks.deliver_mail" in log.read()
    finally:
        worker.send_signal(signal.SIGINT)  # huey's graceful stop, as systemd sends it
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
        log.close()
