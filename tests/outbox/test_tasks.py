import datetime as dt

from huey.contrib.djhuey import HUEY

from outbox import tasks


def test_the_sweeper_runs_every_minute():
    for minute in (0, 1, 37):
        names = {t.name for t in HUEY.read_periodic(dt.datetime(2027, 2, 3, 9, minute))}
        assert "sweep_outbox" in names


def test_a_worker_answers_the_ping():
    assert tasks.ping().get() == "pong"


def test_the_purge_runs_once_a_day_at_0240_in_vietnam():
    at_0240_vietnam = dt.datetime(2027, 2, 3, 19, 40)  # UTC
    assert "purge_outbox" in {t.name for t in HUEY.read_periodic(at_0240_vietnam)}
    others = (dt.datetime(2027, 2, 3, 19, 41), dt.datetime(2027, 2, 3, 2, 40))
    assert all("purge_outbox" not in {t.name for t in HUEY.read_periodic(at)} for at in others)
