import datetime as dt

from huey.contrib.djhuey import HUEY

from outbox import tasks


def test_the_sweeper_runs_every_minute():
    for minute in (0, 1, 37):
        names = {t.name for t in HUEY.read_periodic(dt.datetime(2027, 2, 3, 9, minute))}
        assert "sweep_outbox" in names


def test_a_worker_answers_the_ping():
    assert tasks.ping().get() == "pong"
