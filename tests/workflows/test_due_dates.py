"""Due dates on every step (workflows.services, deadlines): working days in Vietnam from
the day a step starts, shortened by the sender, moved by the Minister's office, the
guidance deadline for that year's drafts. The clock is frozen with time-machine."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
import time_machine
from django.utils import translation

from deadlines import durations
from deadlines.models import StepDuration
from planning import services as planning
from planning.models import Kind
from tests.budgeting import helpers as b
from tests.workflows import helpers as h
from workflows import kinds, permissions, services
from workflows.exceptions import InvalidInput, NotEditable, NotInScope, StaleDocument
from workflows.models import AuditEvent, Document
from worktime.calendar import VIETNAM
from worktime.models import DaySwap

pytestmark = pytest.mark.usefixtures("demo_org")

CHANGED = "workflows.document.due_date_changed"


def at(y, m, d, hour=9, minute=0):
    """A frozen clock at this time in Vietnam."""
    return time_machine.travel(dt.datetime(y, m, d, hour, minute, tzinfo=VIETNAM), tick=False)


def fresh(document) -> Document:
    return Document.objects.get(pk=document.pk)


def last_event(document, action=None) -> AuditEvent:
    events = AuditEvent.objects.filter(document=document)
    if action:
        events = events.filter(action=action)
    return events.order_by("-seq").first()


# --- Every step gets its default ------------------------------------------------------


def test_each_step_is_due_its_default_working_days_later_and_issue_clears_it():
    # Monday 11/01/2027: no holiday within three weeks.
    with at(2027, 1, 11):
        document = h.make_plan("draft")
        assert document.due_on is None  # a five-year plan drafts at its own pace
        h.act(document, "submit", h.DRAFTER)
        assert fresh(document).due_on == dt.date(2027, 1, 25)  # review: 10 working days
        h.act(fresh(document), "return", h.REVIEWER, comment="Bổ sung.")
        assert fresh(document).due_on == dt.date(2027, 1, 18)  # revision: 5
        h.act(fresh(document), "submit", h.DRAFTER)
        h.act(fresh(document), "endorse", h.REVIEWER)
        assert fresh(document).due_on == dt.date(2027, 1, 18)  # signature: 5
        event = last_event(document, "planning.plan.endorsed")
        assert h.own_data(event)["due_on"] == "2027-01-18"
        h.act(fresh(document), "sign", h.MINISTER)
        # Decree 30/2020, Art. 16: issued at the latest the next working day.
        assert fresh(document).due_on == dt.date(2027, 1, 12)
        assert h.own_data(last_event(document, "planning.plan.signed"))["due_on"] == "2027-01-12"
        h.act(fresh(document), "issue", h.CLERK)
        assert fresh(document).due_on is None
        assert h.own_data(last_event(document, "planning.plan.issued"))["due_on"] is None


def test_review_across_tet_2027_skips_the_holidays():
    # Monday 01/02/2027; 04–10/02/2027 are Tết: 10 working days end on 22/02, not 15/02.
    with at(2027, 2, 1):
        document = h.make_plan("submitted", year=2027)
    assert document.due_on == dt.date(2027, 2, 22)


def test_a_swapped_working_saturday_counts_as_a_working_day():
    # Friday 08/01/2027, returned: 5 working days end on Friday 15/01 ...
    with at(2027, 1, 8):
        plain = h.make_plan("returned", title="Không có ngày làm bù")
    assert plain.due_on == dt.date(2027, 1, 15)
    # ... but on Thursday 14/01 when Saturday 09/01 is a working day (ngày làm bù).
    DaySwap.objects.create(date=dt.date(2027, 1, 9), kind=DaySwap.Kind.WORK, reason="Làm bù")
    with at(2027, 1, 8):
        swapped = h.make_plan("returned", title="Có ngày làm bù")
    assert swapped.due_on == dt.date(2027, 1, 14)


@pytest.mark.parametrize(
    ("hour", "minute", "day", "due"),
    [
        # Thursday 28/01/2027 23:59 in Vietnam (16:59 UTC): still Thursday.
        (23, 59, 28, dt.date(2027, 2, 11)),
        # Friday 29/01/2027 00:00 in Vietnam (17:00 UTC, still Thursday in UTC): Friday.
        (0, 0, 29, dt.date(2027, 2, 12)),
    ],
)
def test_a_step_started_at_midnight_counts_from_the_vietnamese_day(hour, minute, day, due):
    document = h.make_plan("submitted")
    with at(2027, 1, day, hour, minute):
        h.act(document, "endorse", h.REVIEWER)  # signature: 5 working days, across Tết
    assert fresh(document).due_on == due


def test_opinion_kinds_use_the_opinion_duration():
    from tests.standards import helpers as s

    s.groups()
    with at(2027, 1, 11):
        document = s.make_standard("submitted")
    assert document.due_on == dt.date(2027, 1, 20)  # opinion: 7 working days


def test_the_admins_duration_beats_the_kinds_default_which_beats_the_products():
    kind = kinds.get(Kind.FIVE_YEAR)
    assert durations.working_days(kind, "review") == 10
    assert durations.working_days(replace(kind, step_days={"review": 4}), "review") == 4
    StepDuration.objects.create(kind=Kind.FIVE_YEAR, step="review", working_days=3)
    assert durations.working_days(replace(kind, step_days={"review": 4}), "review") == 3
    with at(2027, 1, 11):
        document = h.make_plan("submitted")
    assert document.due_on == dt.date(2027, 1, 14)


# --- The sender shortens -------------------------------------------------------------


def test_the_sender_may_choose_an_earlier_day_and_the_event_keeps_both():
    with at(2027, 1, 11):
        document = h.make_plan("draft")
        h.act(document, "submit", h.DRAFTER, due_on=dt.date(2027, 1, 15))
    assert fresh(document).due_on == dt.date(2027, 1, 15)
    data = h.own_data(last_event(document, "planning.plan.submitted"))
    assert (data["due_on"], data["due_on_default"]) == ("2027-01-15", "2027-01-25")


@pytest.mark.parametrize(
    ("due_on", "message"),
    [
        (dt.date(2027, 1, 26), "at most 25/01/2027"),  # a day after the default
        (dt.date(2027, 1, 10), "in the past"),  # yesterday
    ],
)
def test_the_sender_may_not_lengthen_nor_choose_a_past_day(due_on, message):
    with at(2027, 1, 11):
        document = h.make_plan("draft")
        with translation.override("en"), pytest.raises(InvalidInput) as refused:
            h.act(document, "submit", h.DRAFTER, due_on=due_on)
    assert message in " ".join(refused.value.problems)
    assert fresh(document).state == "draft"  # nothing happened


# --- The Minister's office moves it ----------------------------------------------------

LATER, EARLIER = dt.date(2027, 2, 26), dt.date(2027, 1, 13)


def set_due(document, username, due_on, reason="", version=None):
    document = fresh(document)
    return services.document_set_due_date(
        user=h.person(username),
        document_id=document.pk,
        due_on=due_on,
        reason=reason,
        version=document.version if version is None else version,
    )


# role × action: lengthen (with a reason) and shorten, on a plan awaiting review.
SET_DUE_ROWS = [
    (h.MINISTER, "ok"),
    (h.VICE_MINISTER, "ok"),
    ("vanthu.vp", "scope"),  # the Office clerk: allowed wherever it sees the document
    (h.DRAFTER, 403),
    (h.REVIEWER, 403),
    ("thanhtra", 403),  # the auditor sees everything, moves nothing
    ("soanthao.tccb", 404),
    ("hoidong.tdkt", 404),
    ("quantri", 404),
]


@pytest.mark.parametrize("due_on", [LATER, EARLIER], ids=["lengthen", "shorten"])
@pytest.mark.parametrize(("username", "expected"), SET_DUE_ROWS)
def test_who_may_move_a_due_date(username, expected, due_on):
    with at(2027, 1, 11):
        document = h.make_plan("submitted")
        if expected == "scope":
            sees = permissions.can_view(h.person(username), document)
            expected = "ok" if sees else 404
        if expected == "ok":
            set_due(document, username, due_on, reason="Chờ ý kiến các Vụ.")
            assert fresh(document).due_on == due_on
            event = last_event(document, CHANGED)
            assert event.actor.username == username
            assert event.comment == "Chờ ý kiến các Vụ."
            assert h.own_data(event) == {"due_on": due_on.isoformat(), "previous": "2027-01-25"}
            return
        error = {404: NotInScope, 403: services.ActionForbidden}[expected]
        with pytest.raises(error):
            set_due(document, username, due_on, reason="x")
    assert fresh(document).due_on == dt.date(2027, 1, 25)
    denial = last_event(document, services.DENIED_ACTION)
    assert h.own_data(denial) == {"attempted": "document_set_due_date", "status": expected}


def test_lengthening_needs_a_reason_shortening_does_not():
    with at(2027, 1, 11):
        document = h.make_plan("submitted")
        with translation.override("en"), pytest.raises(InvalidInput) as refused:
            set_due(document, h.MINISTER, LATER)
        assert "Say why" in refused.value.problems[0]
        set_due(document, h.MINISTER, EARLIER)
    assert fresh(document).due_on == EARLIER


def test_the_minister_s_office_cannot_set_a_past_day_nor_time_an_issued_document():
    with at(2027, 1, 11):
        document = h.make_plan("submitted")
        with pytest.raises(InvalidInput):
            set_due(document, h.MINISTER, dt.date(2027, 1, 8), reason="x")
        issued = h.make_plan("issued", title="Đã ban hành")
        with pytest.raises(NotEditable):
            set_due(issued, h.MINISTER, LATER, reason="x")
        with pytest.raises(StaleDocument):
            set_due(document, h.MINISTER, LATER, reason="x", version=1)
        draft = h.make_plan("draft", title="Chưa trình")
        with pytest.raises(NotInScope):
            set_due(draft, h.MINISTER, LATER, reason="x")


def test_moving_the_due_date_keeps_the_holders_form_valid():
    with at(2027, 1, 11):
        document = h.make_plan("submitted")
        version = fresh(document).version
        set_due(document, h.MINISTER, LATER, reason="Chờ ý kiến.")
        assert fresh(document).version == version
        h.act(fresh(document), "endorse", h.REVIEWER, version=version)
    assert fresh(document).state == "endorsed"


# --- The guidance deadline -------------------------------------------------------------


def test_publishing_guidance_gives_that_years_drafts_its_deadline():
    with at(2026, 6, 1):
        five_year = h.make_plan("issued", year=2026)
        assert five_year.state == "issued"
        annual = h.create_plan(kind=Kind.ANNUAL, year=2027)
        estimate = b.create_estimate(2027)
        other_year = h.create_plan(kind=Kind.ANNUAL, year=2028, title="Năm 2028")
        earlier = h.create_plan(kind=Kind.ANNUAL, year=2027, title="Đã có hạn sớm hơn")
        Document.objects.filter(pk=earlier.pk).update(due_on=dt.date(2026, 7, 15))
        assert (annual.due_on, estimate.due_on) == (None, None)  # no guidance yet
        b.guidance(2027, total=10**9, investment=10**9, recurrent=10**9)  # deadline 31/08/2026
        deadline = dt.date(2026, 8, 31)
        assert fresh(annual).due_on == deadline
        assert fresh(estimate).due_on == deadline
        assert fresh(other_year).due_on is None
        assert fresh(earlier).due_on == dt.date(2026, 7, 15)  # an earlier one is kept
        event = last_event(annual, CHANGED)
        assert h.own_data(event) == {"due_on": "2026-08-31", "previous": None, "source": "guidance"}
        # A draft begun after publication is due on the deadline from the start.
        later = h.create_plan(kind=Kind.ANNUAL, year=2027, title="Lập sau khi có hướng dẫn")
        assert later.due_on == deadline
        assert h.own_data(last_event(later))["due_on"] == "2026-08-31"


def test_unpublished_guidance_gives_no_due_date():
    with at(2026, 6, 1):
        h.make_plan("issued", year=2026)
        b.guidance(2027, total=10**9, investment=10**9, recurrent=10**9, publish=False)
        annual = h.create_plan(kind=Kind.ANNUAL, year=2027)
    assert annual.due_on is None
    assert planning.Guidance.objects.get(year=2027).published_at is None
