"""Role × action rows for the leave pages and for taking and releasing a task: 404
outside scope, 403 for a missing permission, never a 500 on bad input."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from leave.models import Leave
from tests.leave.conftest import FIRST, LAST
from tests.workflows import helpers as h
from workflows.models import AuditEvent

pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def as_user(client):
    def login(username):
        client.force_login(h.person(username))
        return client

    return login


@pytest.mark.parametrize(
    ("username", "mine", "unit"),
    [
        ("soanthao.tttt", 200, 403),
        ("thamdinh.kh", 200, 403),
        ("soanthao.tccb", 200, 403),
        ("botruong", 200, 403),
        ("thutruong", 200, 403),
        ("vanthu.vp", 403, 403),
        ("thanhtra", 403, 403),
        # The Council reviews the ranking decision (evaluation), so it holds tasks too.
        ("hoidong.tdkt", 200, 403),
        ("quantri", 200, 200),
        ("vutruong.kh", 200, 200),
    ],
)
def test_leave_pages_by_role(staff, as_user, username, mine, unit):
    client = as_user(username)
    assert client.get(reverse("leave:mine")).status_code == mine
    assert client.get(reverse("leave:unit")).status_code == unit


def _post(client, url, **overrides):
    data = {
        "person": h.person(h.REVIEWER).pk,
        "substitute": h.person("thamdinh2.kh").pk,
        "starts_on": FIRST.strftime("%d/%m/%Y"),
        "ends_on": LAST.strftime("%d/%m/%Y"),
        "hand_over": "on",
        **overrides,
    }
    return client.post(reverse(url), data)


def test_recording_own_leave_through_the_page(staff, as_user):
    client = as_user(h.REVIEWER)
    page = client.get(reverse("leave:mine")).content.decode()
    assert "Nguyễn Thị Đào" in page  # the one eligible substitute is offered

    response = _post(client, "leave:mine")

    assert response.status_code == 302
    leave = Leave.objects.get()
    assert (leave.person.username, leave.substitute.username, leave.hand_over) == (
        "thamdinh.kh",
        "thamdinh2.kh",
        True,
    )
    assert (leave.starts_on, leave.ends_on) == (FIRST, LAST)
    assert client.get(reverse("leave:mine")).context["leaves"][0] == leave


@pytest.mark.parametrize(
    "overrides",
    [
        {"starts_on": "31/02/2027"},
        {"ends_on": "01/01/9999"},
        {"starts_on": "not a date"},
        {"ends_on": "01/03/2027"},  # before the first day
        {"substitute": "x"},
        {"person": "99999"},
        {"substitute": ""},
    ],
)
def test_bad_input_is_a_400_never_a_500(staff, as_user, overrides):
    response = _post(as_user(h.REVIEWER), "leave:mine", **overrides)
    assert response.status_code == 400
    assert Leave.objects.count() == 0


def test_a_refused_substitute_is_a_400_with_the_reason(staff, as_user):
    response = _post(as_user("vutruong.kh"), "leave:unit", substitute=h.person(h.REVIEWER).pk)
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        translation.gettext("Nobody may substitute for themselves: choose a colleague.")
    ]


def test_head_records_and_cancels_for_the_unit_but_not_elsewhere(staff, as_user):
    client = as_user("vutruong.kh")
    assert _post(client, "leave:unit").status_code == 302
    leave = Leave.objects.get()
    # A drafter of another unit is not among the people he may choose.
    other = _post(
        client, "leave:unit", person=h.person(h.DRAFTER).pk, substitute=staff["drafter2"].pk
    )
    assert other.status_code == 400
    cancel = client.post(reverse("leave:cancel", args=[leave.pk]), {"back": "leave:unit"})
    assert cancel.status_code == 302
    leave.refresh_from_db()
    assert leave.cancelled_by.username == "vutruong.kh"


@pytest.mark.parametrize(("username", "status"), [("thamdinh2.kh", 404), ("soanthao.tttt", 404)])
def test_cancelling_someone_elses_leave_is_404(staff, as_user, username, status):
    as_user(h.REVIEWER)
    leave = Leave.objects.create(
        person=h.person(h.REVIEWER),
        substitute=staff["reviewer2"],
        starts_on=FIRST,
        ends_on=LAST,
        recorded_by=h.person(h.REVIEWER),
    )
    response = as_user(username).post(reverse("leave:cancel", args=[leave.pk]))
    assert response.status_code == status
    leave.refresh_from_db()
    assert leave.cancelled_at is None


# --- Taking and releasing ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "state", "status"),
    [
        ("thamdinh.kh", "submitted", 302),  # the reviewing unit's pool
        ("soanthao.tttt", "draft", 302),  # the drafting unit's pool
        ("botruong", "endorsed", 302),  # the signers
        ("soanthao.tttt", "submitted", 403),  # sees it, not in the pool
        ("thanhtra", "submitted", 403),
        ("botruong", "submitted", 403),
        ("vanthu.vp", "submitted", 403),  # the Office follows it up, not in the pool
        ("hoidong.tdkt", "submitted", 404),  # outside scope
        ("soanthao.tccb", "draft", 404),
        ("quantri", "submitted", 404),
    ],
)
def test_take_by_role(staff, as_user, username, state, status):
    document = h.make_plan(state)
    task = h.open_task(document)
    response = as_user(username).post(reverse("workflows:take", args=[document.pk, task.pk]))
    assert response.status_code == status
    task.refresh_from_db()
    assert (task.owner.username if task.owner else None) == (username if status == 302 else None)
    if status == 302:
        assert AuditEvent.objects.filter(action="workflows.task.taken", document=document).exists()


def test_take_and_release_through_the_document_page(staff, as_user):
    document = h.make_plan("submitted")
    task = h.open_task(document)
    client = as_user(h.REVIEWER)
    page = client.get(reverse("workflows:document", args=[document.pk])).content.decode()
    assert 'data-testid="action-take"' in page

    client.post(reverse("workflows:take", args=[document.pk, task.pk]))
    page = client.get(reverse("workflows:document", args=[document.pk])).content.decode()
    assert 'data-testid="action-release"' in page and 'data-testid="taken-by"' in page

    colleague = as_user("thamdinh2.kh")
    refused = colleague.post(reverse("workflows:take", args=[document.pk, task.pk]))
    assert refused.status_code == 409
    assert "Trần Thị Bình" in refused.content.decode()
    assert (
        colleague.post(reverse("workflows:release", args=[document.pk, task.pk])).status_code == 409
    )
    endorse = colleague.post(
        reverse("workflows:act", args=[document.pk, task.pk]),
        {"action": "endorse", "comment": "", "version": document.version},
    )
    assert endorse.status_code == 409

    client = as_user(h.REVIEWER)
    assert client.post(reverse("workflows:release", args=[document.pk, task.pk])).status_code == 302
    task.refresh_from_db()
    assert task.owner is None
    # Nothing to release any more: a conflict, not an error page.
    assert client.post(reverse("workflows:release", args=[document.pk, task.pk])).status_code == 409


def test_the_leave_menu_entry(staff, as_user):
    page = as_user(h.REVIEWER).get(reverse("home")).content.decode()
    assert reverse("leave:mine") in page
    page = as_user("thanhtra").get(reverse("home")).content.decode()
    assert reverse("leave:mine") not in page
