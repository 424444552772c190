"""README's first command: ./scripts/demo.sh serves the app with the huey worker beside
it, and Ctrl-C stops both, leaving no process behind."""

from __future__ import annotations

import os
import signal
import subprocess
import urllib.request

import pytest

from outbox.models import Mail, Status
from tests.processes import (
    PYTHON,
    ROOT,
    alive,
    child_env,
    descendants,
    free_port,
    state,
    wait_until,
)

QUEUE_A_MAIL = (
    "import django; django.setup()\n"
    "from django.db import transaction\n"
    "from workflows.notifications import queue_mail\n"
    "with transaction.atomic():\n"
    "    queue_mail(key='demo:1', to=['an@example.gov.vn'], subject='Thư thử của demo',"
    " body='Giao qua hàng đợi nhúng.')\n"
)


def healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


@pytest.mark.django_db(transaction=True)
def test_demo_serves_with_a_worker_and_ctrl_c_stops_both(tmp_path):
    port = free_port()
    huey_file = tmp_path / "huey.sqlite3"
    log = (tmp_path / "demo.log").open("w+")
    # Its own session, like a terminal: Ctrl-C sends SIGINT to the foreground group. And
    # SIGINT handled, as in a terminal: a suite that a script starts in the background
    # (CI runs both databases' suites so) inherits SIGINT ignored, and a shell started
    # with a signal ignored cannot trap it, so demo.sh would never hear the Ctrl-C.
    demo = subprocess.Popen(
        ["./scripts/demo.sh"],
        cwd=ROOT,
        env=child_env(DEMO_SKIP_SETUP="1", PORT=str(port), HUEY_SQLITE_PATH=str(huey_file)),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        assert wait_until(lambda: healthy(port), timeout=90), log.seek(0) or log.read()
        processes = descendants(demo.pid)
        workers = [pid for pid, cmd in processes.items() if "run_huey" in cmd]
        servers = [pid for pid, cmd in processes.items() if "runserver" in cmd]
        assert workers and servers, processes
        assert all(alive(pid) for pid in workers)
        # The worker runs on its embedded SQLite queue, with its schedule.
        assert wait_until(huey_file.exists, timeout=30)
        started = "Periodic tasks are enabled."
        assert wait_until(lambda: started in (log.seek(0) or log.read()), timeout=30)
        log.seek(0)
        assert "outbox.tasks.sweep_outbox" in log.read()
        # Another process (as the web server would) queues a mail: the worker delivers it
        # from the embedded queue, to the console in the demo.
        env = child_env(
            DJANGO_SETTINGS_MODULE="config.settings.dev", HUEY_SQLITE_PATH=str(huey_file)
        )
        subprocess.run([PYTHON, "-c", QUEUE_A_MAIL], cwd=ROOT, env=env, check=True, timeout=60)
        assert wait_until(lambda: Mail.objects.filter(key="demo:1", status=Status.SENT).exists())
        assert wait_until(lambda: "X-UBDT-Mail-Key: demo:1" in (log.seek(0) or log.read()))

        os.killpg(demo.pid, signal.SIGINT)
        try:
            demo.wait(timeout=30)
        except subprocess.TimeoutExpired:
            states = {pid: (cmd, state(pid)) for pid, cmd in descendants(demo.pid).items()}
            pytest.fail(
                f"demo.sh still runs 30 s after Ctrl-C: {states}\n{log.seek(0) or log.read()}"
            )
        assert wait_until(lambda: not any(alive(pid) for pid in processes), timeout=15), {
            pid: cmd for pid, cmd in processes.items() if alive(pid)
        }
        assert not healthy(port)
    finally:
        if demo.poll() is None:
            os.killpg(demo.pid, signal.SIGKILL)
        for pid in descendants(demo.pid):
            os.kill(pid, signal.SIGKILL)
        log.close()
