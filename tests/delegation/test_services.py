"""Recording and revoking delegations: who may, what is checked, what the audit trail and
the database keep."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from delegation import selectors, services
from delegation.models import Delegation
from planning.models import Kind
from tests.factories import DelegationFactory
from tests.workflows import helpers as h
from workflows.exceptions import ActionForbidden, AlreadyHandled, InvalidInput, NotInScope
from workflows.models import AuditEvent
from worktime.calendar import VIETNAM

from . import helpers as d

pytestmark = pytest.mark.usefixtures("demo_org")

START, END = dt.date(2026, 12, 1), dt.date(2027, 6, 30)
NOW = dt.datetime(2026, 12, 2, 9, 0, tzinfo=VIETNAM)


@pytest.fixture(autouse=True)
def english_on_2_december_2026():
    with translation.override("en"), time_machine.travel(NOW, tick=False):
        yield


def problems(**kwargs) -> list[str]:
    with pytest.raises(InvalidInput) as refused:
        d.record(**{"starts_on": START, "ends_on": END, **kwargs})
    assert not Delegation.objects.exists()
    return refused.value.problems


def test_the_minister_records_a_delegation_and_it_is_audited():
    delegation = d.record(
        all_kinds=False, kinds=[Kind.FIVE_YEAR, "budget_estimate"], starts_on=START, ends_on=END
    )

    assert delegation.delegate.username == d.VICE_MINISTER
    assert delegation.kinds == ["budget_estimate", "five_year_plan"]
    assert delegation.recorded_by.username == d.MINISTER
    assert delegation.instruction_reference == ""
    event = AuditEvent.objects.get(action="delegation.delegation.recorded")
    assert event.actor.username == d.MINISTER
    assert event.data == {
        "delegation": delegation.pk,
        "delegate": delegation.delegate_id,
        "delegate_name": "Hoàng Thị Lan",
        "all_kinds": False,
        "kinds": ["budget_estimate", "five_year_plan"],
        "starts_on": "2026-12-01",
        "ends_on": "2027-06-30",
        "decision_reference": d.DECISION,
        "instruction_reference": "",
    }
    assert selectors.delegation_in_force(delegation.delegate, "five_year_plan") == delegation
    assert selectors.delegation_in_force(delegation.delegate, "competency_standard") is None


def test_an_administrator_records_only_on_the_ministers_written_instruction():
    assert problems(by=d.ADMINISTRATOR) == [
        "Give the reference of the Minister's written instruction."
    ]
    delegation = d.record(
        by=d.ADMINISTRATOR, instruction=d.INSTRUCTION, starts_on=START, ends_on=END
    )
    assert delegation.instruction_reference == d.INSTRUCTION
    assert delegation.recorded_by.username == d.ADMINISTRATOR


@pytest.mark.parametrize("username", [d.VICE_MINISTER, d.CLERK, "thanhtra", h.DRAFTER])
def test_others_may_not_record_and_the_refusal_is_on_record(username):
    with pytest.raises(ActionForbidden):
        d.record(by=username, starts_on=START, ends_on=END)
    assert not Delegation.objects.exists()
    denied = AuditEvent.objects.get(action="workflows.document.access_denied")
    assert denied.data == {"attempted": "delegation_record", "status": 403}


def test_every_problem_is_reported_at_once():
    assert problems(
        delegate=h.REVIEWER,
        all_kinds=False,
        kinds=[],
        starts_on=END,
        ends_on=START,
        decision="   ",
    ) == [
        "Choose a Vice-Minister: only they sign on delegation.",
        "Choose the kinds of document, or all kinds.",
        "The last day (01/12/2026) is before the first day (30/06/2027).",
        "Give the reference of the delegating decision.",
    ]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"all_kinds": False, "kinds": ["plan", "five_year_plan"]},
            "Unknown kinds of document: plan.",
        ),
        ({"starts_on": None}, "Give the first and the last day, as dd/mm/yyyy."),
        ({"ends_on": "31/12/2026"}, "Give the first and the last day, as dd/mm/yyyy."),
        (
            {"starts_on": dt.date(2026, 11, 1), "ends_on": dt.date(2026, 12, 1)},
            "The last day (01/12/2026) has already passed.",
        ),
        ({"decision": "Q" * 301}, "The decision's reference may be at most 300 characters."),
        ({"delegate": d.MINISTER}, "Choose a Vice-Minister: only they sign on delegation."),
    ],
)
def test_bad_input_is_refused_with_a_reason(kwargs, message):
    assert problems(**kwargs) == [message]


def test_a_delegate_id_that_is_no_number_is_bad_input():
    with pytest.raises(InvalidInput):
        services.delegation_record(
            user=h.person(d.MINISTER),
            delegate_id="x",
            kind_codes=[],
            all_kinds=True,
            starts_on=START,
            ends_on=END,
            decision_reference=d.DECISION,
        )


def test_a_delegation_may_end_on_its_first_day_and_spaces_are_tidied():
    delegation = d.record(
        starts_on=dt.date(2026, 12, 2), ends_on=dt.date(2026, 12, 2), decision="  QĐ  số 1 \x00"
    )
    assert delegation.decision_reference == "QĐ số 1"
    assert selectors.delegation_state(delegation) == "in_force"


def test_revoking_takes_effect_at_once_and_is_audited():
    delegation = d.record(starts_on=START, ends_on=END)
    vice_minister = h.person(d.VICE_MINISTER)
    assert selectors.delegation_in_force(vice_minister, "five_year_plan") == delegation

    services.delegation_revoke(user=h.person(d.MINISTER), delegation_id=delegation.pk)

    delegation.refresh_from_db()
    assert (delegation.revoked_at, delegation.revoked_by.username) == (timezone.now(), d.MINISTER)
    assert selectors.delegation_in_force(vice_minister, "five_year_plan") is None
    assert selectors.delegation_state(delegation) == "revoked"
    # Before the revocation it was in force: the register can say when it allowed what.
    earlier = NOW - dt.timedelta(minutes=1)
    assert selectors.delegation_in_force(vice_minister, "five_year_plan", earlier) == delegation
    event = AuditEvent.objects.filter(action="delegation.delegation.revoked").get()
    assert event.data["delegation"] == delegation.pk
    assert event.data["decision_reference"] == d.DECISION


def test_an_administrator_revokes_only_on_the_ministers_written_instruction():
    delegation = d.record(starts_on=START, ends_on=END)
    admin = h.person(d.ADMINISTRATOR)
    with pytest.raises(InvalidInput):
        services.delegation_revoke(user=admin, delegation_id=delegation.pk)
    services.delegation_revoke(
        user=admin, delegation_id=delegation.pk, instruction_reference=d.INSTRUCTION
    )
    delegation.refresh_from_db()
    assert delegation.revocation_reference == d.INSTRUCTION


def test_a_revoked_or_ended_delegation_cannot_be_revoked_again():
    revoked = d.record(starts_on=START, ends_on=END)
    minister = h.person(d.MINISTER)
    services.delegation_revoke(user=minister, delegation_id=revoked.pk)
    with pytest.raises(AlreadyHandled, match="already been revoked"):
        services.delegation_revoke(user=minister, delegation_id=revoked.pk)
    ended = DelegationFactory(starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 12, 1))
    with pytest.raises(AlreadyHandled, match="already ended"):
        services.delegation_revoke(user=minister, delegation_id=ended.pk)
    assert AuditEvent.objects.filter(action="delegation.delegation.revoked").count() == 1


@pytest.mark.parametrize(
    ("username", "error"),
    [
        (d.VICE_MINISTER, ActionForbidden),
        (d.CLERK, ActionForbidden),
        ("thanhtra", ActionForbidden),
        # Those who may not even see the register: as if it did not exist.
        (h.DRAFTER, NotInScope),
        ("hoidong.tdkt", NotInScope),
    ],
)
def test_others_may_not_revoke(username, error):
    delegation = d.record(starts_on=START, ends_on=END)
    with pytest.raises(error):
        services.delegation_revoke(user=h.person(username), delegation_id=delegation.pk)
    delegation.refresh_from_db()
    assert delegation.revoked_at is None


@pytest.mark.parametrize("delegation_id", [999_999, "x", None])
def test_revoking_what_does_not_exist_is_404(delegation_id):
    with pytest.raises(NotInScope):
        services.delegation_revoke(user=h.person(d.MINISTER), delegation_id=delegation_id)


@pytest.mark.parametrize(
    "fields",
    [
        {"starts_on": END, "ends_on": START},
        {"decision_reference": ""},
        {"revoked_at": NOW},  # revoked by nobody
    ],
    ids=["ends-before-start", "no-decision", "revoked-by-nobody"],
)
def test_the_database_refuses_what_the_service_would(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        DelegationFactory(**fields)
