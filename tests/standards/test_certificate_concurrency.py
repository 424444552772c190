"""Two people recording the same certificate at the same moment, on real parallel
connections: one is recorded, the other is told it already is (never a 500)."""

from __future__ import annotations

import datetime as dt
import threading
from unittest.mock import patch

import pytest
from django.utils import translation

from standards import certificates
from standards.models import Certificate
from tests.factories import PersonFactory
from tests.standards.conftest import BASIC, DRAFTER
from tests.workflows import helpers as h
from tests.workflows.test_concurrency import together
from workflows.exceptions import InvalidInput
from workflows.models import AuditEvent

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("org"),
]


def recording(user, person):
    user.get_all_permissions()  # warm the permission cache before the barrier

    def call():
        with translation.override("en"):  # a thread starts in the default language
            return _record()

    def _record():
        return certificates.certificate_record(
            user=user,
            person_id=person.pk,
            module_codes=BASIC,
            issued_on=dt.date(2024, 1, 10),
            issuing_body="Trung tâm Tin học",
            number="TT-0001",
        )

    return call


def second_recorder():
    from organisation import roles
    from organisation.models import Unit

    return PersonFactory(
        username="soanthao2.tccb", unit=Unit.objects.get(code="TCCB"), role=roles.PERSONNEL_DRAFTER
    )


def outcomes(results):
    return sorted("ok" if isinstance(r, Certificate) else type(r).__name__ for r in results)


def test_the_same_certificate_recorded_twice_at_once():
    other = second_recorder()
    results = together(
        recording(h.person(DRAFTER), h.person("vanthu.vp")),
        recording(other, h.person("botruong")),
    )
    assert outcomes(results) == ["InvalidInput", "ok"], results
    assert Certificate.objects.count() == 1
    assert AuditEvent.objects.filter(action=certificates.RECORDED).count() == 1


@pytest.mark.postgres
def test_both_pass_the_check_and_the_constraint_decides():
    """Both transactions check before either inserts (a barrier after the check): the
    unique constraint refuses the second insert, reported as InvalidInput."""
    other = second_recorder()
    barrier = threading.Barrier(2, timeout=20)
    real = certificates._find_duplicate

    def check_then_wait(body, number):
        found = real(body, number)
        barrier.wait()
        return found

    with patch.object(certificates, "_find_duplicate", check_then_wait):
        results = together(
            recording(h.person(DRAFTER), h.person("vanthu.vp")),
            recording(other, h.person("botruong")),
        )
    assert outcomes(results) == ["InvalidInput", "ok"], [getattr(r, "problems", r) for r in results]
    refused = next(r for r in results if isinstance(r, InvalidInput))
    assert "already recorded" in refused.problems[0]
    assert Certificate.objects.count() == 1
    assert AuditEvent.objects.filter(action=certificates.RECORDED).count() == 1
