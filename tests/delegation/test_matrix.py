"""Who may do what with delegations of signature: every demo role × every action, in the
shared matrix style (tests/workflows/test_matrix.py).

- OK:  the action goes through (and its effect is checked);
- 404: the delegation is outside what the person may see (they may not read the
       register): answered as if it did not exist;
- 403: the person may read the register but not do this (or, for the register page and
       recording, where there is no object to hide, may not use it at all).

Each cell is driven through HTTP, the way people use it; the service's own refusals are
in test_services.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from delegation.models import Delegation
from organisation import roles
from organisation.demo import DEMO_PASSWORD
from tests.factories import DelegationFactory
from tests.workflows import helpers as h
from workflows.models import AuditEvent
from worktime import calendar

from . import helpers as d

pytestmark = pytest.mark.usefixtures("demo_org")

OK, E404, E403 = "ok", 404, 403
ACTIONS = ("register", "record", "revoke")
READER = {"register": OK, "record": E403, "revoke": E403}
RECORDER = {"register": OK, "record": OK, "revoke": OK}
NOTHING = {"register": E403, "record": E403, "revoke": E404}

EXPECTED: dict[str, dict[str, str | int]] = {
    # The Minister delegates; an administrator records on the Minister's instruction.
    roles.MINISTER: RECORDER,
    roles.ADMINISTRATOR: RECORDER,
    # Those who sign under it, keep the register of issued documents, or inspect.
    roles.VICE_MINISTER: READER,
    roles.OFFICE_CLERK: READER,
    roles.AUDITOR: READER,
    # Nobody else has any business with it.
    roles.CENTRE_DRAFTER: NOTHING,
    roles.PLANNING_REVIEWER: NOTHING,
    roles.PERSONNEL_DRAFTER: NOTHING,
    roles.COUNCIL_MEMBER: NOTHING,
}


def test_the_table_covers_every_role_and_action():
    assert set(EXPECTED) == set(roles.ROLES) == set(h.USER_FOR_ROLE)
    for role, row in EXPECTED.items():
        assert set(row) == set(ACTIONS), role


def _cases():
    for role, row in EXPECTED.items():
        for action in ACTIONS:
            yield pytest.param(role, action, row[action], id=f"{role}-{action}")


@pytest.mark.parametrize(("role", "action", "expected"), list(_cases()))
def test_matrix(client, role, action, expected):
    username = h.USER_FOR_ROLE[role]
    client.force_login(h.person(username))
    existing = DelegationFactory(
        delegate=h.person(d.VICE_MINISTER), decision_reference="QĐ số 7/QĐ-UBDT"
    )
    events_before = AuditEvent.objects.count()
    today = calendar.today()
    if action == "register":
        response = client.get(reverse("delegation:register"))
    elif action == "record":
        response = client.post(
            reverse("delegation:record"),
            {
                "delegate": h.person(d.VICE_MINISTER).pk,
                "all_kinds": "on",
                "starts_on": today.strftime("%d/%m/%Y"),
                "ends_on": (today + dt.timedelta(days=30)).strftime("%d/%m/%Y"),
                "decision_reference": d.DECISION,
                "instruction_reference": d.INSTRUCTION,
            },
        )
    else:
        response = client.post(
            reverse("delegation:revoke", args=[existing.pk]),
            {"instruction_reference": d.INSTRUCTION},
        )

    new_events = list(AuditEvent.objects.order_by("seq")[events_before:])
    existing.refresh_from_db()
    if expected != OK:
        assert response.status_code == expected
        assert Delegation.objects.count() == 1 and existing.revoked_at is None
        if action != "register":
            # A refused write is on record as such.
            assert [(e.action, e.data["status"]) for e in new_events] == [
                ("workflows.document.access_denied", expected)
            ]
        return
    if action == "register":
        assert response.status_code == 200
        assert "QĐ số 7/QĐ-UBDT" in response.content.decode()
        assert new_events == []
    elif action == "record":
        assert response.status_code == 302
        assert Delegation.objects.filter(decision_reference=d.DECISION).count() == 1
        assert [e.action for e in new_events] == ["delegation.delegation.recorded"]
    else:
        assert response.status_code == 302
        assert existing.revoked_at is not None
        assert [e.action for e in new_events] == ["delegation.delegation.revoked"]
    assert new_events == [] or new_events[0].actor.username == username


def test_revoking_a_delegation_that_does_not_exist_is_404_for_a_recorder(client):
    client.force_login(h.person(d.MINISTER))
    assert client.post(reverse("delegation:revoke", args=[999_999])).status_code == 404


# --- Signing: the Vice-Minister's sign action depends on the delegation ---------------------

SIGN_CASES = {
    # what delegation she holds: the outcome of her signature on an endorsed plan
    "none": E403,
    "in force, all kinds": OK,
    "in force, this kind": OK,
    "in force, other kinds only": E403,
    "revoked": E403,
    "ended yesterday": E403,
    "begins tomorrow": E403,
}


def _give(case: str):
    today = calendar.today()
    vice_minister = h.person(d.VICE_MINISTER)
    make = {
        "none": None,
        "in force, all kinds": {},
        "in force, this kind": {"all_kinds": False, "kinds": ["five_year_plan"]},
        "in force, other kinds only": {"all_kinds": False, "kinds": ["budget_estimate"]},
        "revoked": {"revoked_at": None},
        "ended yesterday": {"ends_on": today - dt.timedelta(days=1)},
        "begins tomorrow": {"starts_on": today + dt.timedelta(days=1)},
    }[case]
    if make is None:
        return
    delegation = DelegationFactory(delegate=vice_minister, **make)
    if case == "revoked":
        from delegation import services

        services.delegation_revoke(user=h.person(d.MINISTER), delegation_id=delegation.pk)


@pytest.mark.parametrize(("case", "expected"), list(SIGN_CASES.items()))
def test_the_vice_ministers_signature(client, case, expected):
    _give(case)
    document = h.make_plan("endorsed")
    task = h.open_task(document)
    client.force_login(h.person(d.VICE_MINISTER))

    response = client.post(
        reverse("workflows:act", args=[document.pk, task.pk]),
        {
            "action": "sign",
            "comment": "",
            "version": document.version,
            "password": DEMO_PASSWORD,
        },
    )

    document.refresh_from_db()
    if expected == OK:
        assert response.status_code == 302
        assert (document.state, document.signed_on_behalf) == ("signed", True)
    else:
        assert response.status_code == expected
        assert document.state == "endorsed"
