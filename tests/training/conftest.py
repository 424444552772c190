"""Fixtures for training: the demo organisation with position groups, a standard in
force (tests/standards/conftest.py), unit heads, and a course built by the services."""

from __future__ import annotations

import datetime as dt

import pytest

from organisation.models import Unit
from standards.models import Membership, PositionGroup
from tests.factories import PersonFactory
from tests.standards.conftest import english, org, standard  # noqa: F401 (fixtures)
from tests.workflows import helpers as h
from training import services
from worktime import calendar

ORGANISER = "soanthao.tccb"  # Personnel drafter: organise_training
CENTRE = "soanthao.tttt"  # Centre drafter: co-organiser
HEAD_KH = "sonpv"  # made head of the Planning Department below
TRAINER = "datdq"  # an engineer of the Centre, no role


KH_STAFF = ("daont", "haint.kh", "anhnn")  # specialists of KH, lacking IU01–IU06


def staff_member(username: str, unit_code: str, group: str = "CHUYENVIEN"):
    unit = Unit.objects.get(code=unit_code)
    person = PersonFactory(username=username, unit=unit, full_name=f"Cán bộ {username}")
    Membership.objects.update_or_create(
        person=person, defaults={"group": PositionGroup.objects.get(code=group)}
    )
    return person


@pytest.fixture
def heads(standard):  # noqa: F811 (the fixture above)
    """The head of KH and three of its specialists; a trainer of the Centre."""
    head = staff_member(HEAD_KH, "KH", "LANHDAO_VU")
    Unit.objects.filter(code="KH").update(head=head)
    for username in KH_STAFF:
        staff_member(username, "KH")
    staff_member(TRAINER, "TTTT", "CNTT")


def make_course(*, capacity=2, modules=("IU01",), title="Khai thác Internet", days=10, **kw):
    today = calendar.today()
    start = today + dt.timedelta(days=days)
    return services.course_create(
        user=h.person(ORGANISER),
        title=title,
        module_codes=list(modules),
        starts_on=start,
        ends_on=start + dt.timedelta(days=1),
        withdraw_until=start - dt.timedelta(days=1),
        sessions=[
            (start, dt.time(8), dt.time(11, 30)),
            (start + dt.timedelta(days=1), dt.time(8), dt.time(11, 30)),
        ],
        capacity=capacity,
        cost=12_500_000,
        venue="Phòng họp tầng 3",
        trainer_ids=[h.person(TRAINER).pk],
        **kw,
    )


@pytest.fixture
def course(heads):
    return make_course()
