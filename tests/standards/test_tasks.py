import datetime as dt

from huey.contrib.djhuey import HUEY

from standards import tasks


def test_standards_are_applied_every_day_at_five_past_midnight_in_vietnam():
    names = {t.name for t in HUEY.read_periodic(dt.datetime(2027, 2, 3, 17, 5))}
    assert "apply_standards" in names
    assert "apply_standards" not in {
        t.name for t in HUEY.read_periodic(dt.datetime(2027, 2, 3, 0, 5))
    }


def test_applying_standards_twice_is_harmless(db):
    assert tasks.apply_standards.call_local() == 0
    tasks.apply_standards()  # through huey (immediate in the tests)
    assert tasks.apply_standards.call_local() == 0
