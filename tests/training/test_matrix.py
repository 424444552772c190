"""Who may do what with a course: every role × every action. 404: the course is outside
the person's scope (as if it did not exist); 403: they see it but may not do this. Each
allowed action is checked for its effect, each refused one for having changed nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.standards.conftest import client_for
from tests.training.conftest import CENTRE, HEAD_KH, KH_STAFF, ORGANISER, TRAINER
from tests.workflows import helpers as h
from training import services
from training.models import Attendance, Enrolment

pytestmark = pytest.mark.usefixtures("course")

ENROLLED = KH_STAFF[0]  # holds a seat
TARGET = KH_STAFF[1]  # the one the enrol action enrols
OUTSIDER = "thanhtra"
MINISTER = "botruong"
OK, E403, E404 = 200, 403, 404

ROLES = (ORGANISER, CENTRE, HEAD_KH, TRAINER, ENROLLED, OUTSIDER, MINISTER)
#              organiser centre head  trainer enrolled outsider minister
MATRIX = {
    # The minister is no organiser, heads no unit and trains nobody: training is
    # outside their scope.
    "list": (OK, OK, OK, OK, E403, E403, E403),
    "gaps": (OK, OK, E403, E403, E403, E403, E403),
    "new": (OK, OK, E403, E403, E403, E403, E403),
    "view": (OK, OK, OK, OK, OK, E404, E404),
    "enrol": (OK, OK, OK, E403, E403, E404, E404),
    "export": (OK, OK, E403, OK, E403, E404, E404),
    "attendance": (OK, OK, E403, OK, E403, E404, E404),
    "result": (OK, OK, E403, OK, E403, E404, E404),
}
CASES = [(a, r, MATRIX[a][i]) for a in MATRIX for i, r in enumerate(ROLES)]


def run(action, client, course, seat):
    session = course.sessions.first()
    if action == "list":
        return client.get(reverse("training:list"))
    if action == "gaps":
        return client.get(reverse("training:gaps"))
    if action == "new":
        return client.get(reverse("training:new"))
    if action == "view":
        return client.get(reverse("training:course", args=[course.pk]))
    if action == "enrol":
        return client.post(
            reverse("training:enrol", args=[course.pk]), {"person": h.person(TARGET).pk}
        )
    if action == "export":
        return client.get(reverse("training:export", args=[course.pk]))
    if action == "attendance":
        return client.post(
            reverse("training:attendance", args=[session.pk]), {"present": [seat.person_id]}
        )
    if action == "result":
        return client.post(
            reverse("training:result", args=[seat.pk]), {"result": "failed", "score": "30"}
        )
    raise AssertionError(action)


@pytest.mark.parametrize(("action", "role", "expected"), CASES)
def test_matrix(action, role, expected, course):
    seat = services.enrolment_add(
        user=h.person(ORGANISER), course_id=course.pk, person_id=h.person(ENROLLED).pk
    )
    response = run(action, client_for(role), course, seat)
    status = 200 if response.status_code in (200, 302) else response.status_code
    assert status == expected, (action, role, response.status_code)
    changed = {
        "enrol": lambda: Enrolment.objects.filter(person__username=TARGET).exists(),
        "attendance": lambda: Attendance.objects.exists(),
        "result": lambda: Enrolment.objects.filter(pk=seat.pk, result="failed").exists(),
    }.get(action)
    if changed is not None:
        assert changed() is (expected == OK), (action, role)


def test_a_head_cannot_nominate_another_units_staff(course):
    response = client_for(HEAD_KH).post(
        reverse("training:enrol", args=[course.pk]), {"person": h.person(TRAINER).pk}
    )
    assert response.status_code == 404
    assert not Enrolment.objects.exists()


def test_a_person_withdraws_their_own_seat_only(course):
    mine = services.enrolment_add(
        user=h.person(ORGANISER), course_id=course.pk, person_id=h.person(ENROLLED).pk
    )
    other = services.enrolment_add(
        user=h.person(ORGANISER), course_id=course.pk, person_id=h.person(TARGET).pk
    )
    client = client_for(ENROLLED)
    # Another person's enrolment is outside their scope: as if it did not exist.
    assert client.post(reverse("training:withdraw", args=[other.pk])).status_code == 404
    assert client.post(reverse("training:withdraw", args=[mine.pk])).status_code == 302
    assert Enrolment.objects.get(pk=mine.pk).status == "withdrawn"
    assert Enrolment.objects.get(pk=other.pk).status == "enrolled"
    stranger = client_for(OUTSIDER)
    assert stranger.post(reverse("training:withdraw", args=[other.pk])).status_code == 404


@pytest.mark.parametrize(
    "url, data",
    [
        ("training:enrol", {"person": "abc"}),
        ("training:enrol", {"person": "999999"}),
        ("training:invite_proposed", {"person": ["x", "999999"]}),
    ],
)
def test_bad_input_is_never_a_500(course, url, data):
    response = client_for(ORGANISER).post(reverse(url, args=[course.pk]), data)
    assert response.status_code == 302
    assert not Enrolment.objects.exists()


def test_bad_ids_are_404(course):
    client = client_for(ORGANISER)
    assert client.get(reverse("training:course", args=[999999])).status_code == 404
    assert client.post(reverse("training:result", args=[999999]), {}).status_code == 404
    assert client.post(reverse("training:attendance", args=[999999]), {}).status_code == 404
