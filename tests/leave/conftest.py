import datetime as dt

import pytest
import time_machine

from organisation import roles
from organisation.models import Unit
from tests.factories import PersonFactory
from worktime.calendar import VIETNAM

# A Monday in Vietnam; the leave in these tests runs Tuesday 02/03 to Friday 05/03/2027.
MONDAY = dt.datetime(2027, 3, 1, 9, 0, tzinfo=VIETNAM)
FIRST, LAST = dt.date(2027, 3, 2), dt.date(2027, 3, 5)


def at(day: dt.date, hour: int = 9):
    return time_machine.travel(dt.datetime.combine(day, dt.time(hour), tzinfo=VIETNAM), tick=False)


@pytest.fixture
def clock(demo_org):
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def staff(demo_org):
    """A second reviewer and a second drafter (the substitutes), and the Planning
    Department's head, who has no role of his own."""
    kh = Unit.objects.get(code="KH")
    ttt = Unit.objects.get(code="TTTT")
    head = PersonFactory(username="vutruong.kh", full_name="Phạm Văn Sơn", unit=kh)
    kh.head = head
    kh.save()
    return {
        "reviewer2": PersonFactory(
            username="thamdinh2.kh",
            full_name="Nguyễn Thị Đào",
            unit=kh,
            role=roles.PLANNING_REVIEWER,
        ),
        "drafter2": PersonFactory(
            username="soanthao2.tttt", full_name="Lê Thị Hạnh", unit=ttt, role=roles.CENTRE_DRAFTER
        ),
        "head": head,
    }
