import pytest
from django.core.management import CommandError, call_command

from tests.processes import child_env, manage


def test_queue_check_fails_when_no_worker_answers(tmp_path):
    env = child_env(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        HUEY_SQLITE_PATH=str(tmp_path / "huey.sqlite3"),
    )
    done = manage("queue_check", "--timeout", "1", env=env)
    assert done.returncode == 1
    assert "No worker answered within 1 s" in done.stderr


def test_queue_check_refuses_an_immediate_queue():
    with pytest.raises(CommandError, match="no worker to check"):
        call_command("queue_check")
