"""The register page and its forms: what each person sees, and bad input answered with
the reason (400), never a 500."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from delegation.models import Delegation
from organisation import navigation
from tests.factories import DelegationFactory
from tests.workflows import helpers as h
from worktime.calendar import VIETNAM

from . import helpers as d

pytestmark = pytest.mark.usefixtures("demo_org")

NOW = dt.datetime(2026, 12, 2, 9, 0, tzinfo=VIETNAM)


@pytest.fixture
def as_user(client):
    def login(username):
        client.force_login(h.person(username))
        client.cookies["ubdt_language"] = "en"
        return client

    with time_machine.travel(NOW, tick=False):
        yield login


VALID = {
    "delegate": None,  # the demo Vice-Minister, filled in by post()
    "all_kinds": "on",
    "starts_on": "01/12/2026",
    "ends_on": "31/12/2026",
    "decision_reference": d.DECISION,
}


def post(client, **changes):
    data = {**VALID, "delegate": h.person(d.VICE_MINISTER).pk, **changes}
    return client.post(
        reverse("delegation:record"), {k: v for k, v in data.items() if v is not None}
    )


@pytest.mark.parametrize(
    ("username", "in_menu"),
    [
        (d.MINISTER, True),
        (d.VICE_MINISTER, True),
        (d.CLERK, True),
        ("thanhtra", True),
        (d.ADMINISTRATOR, True),
        (h.DRAFTER, False),
        (h.REVIEWER, False),
        ("hoidong.tdkt", False),
    ],
)
def test_the_register_is_in_the_menu_of_those_who_may_read_it(username, in_menu):
    keys = [item["key"] for item in navigation.items_for(h.person(username))]
    assert ("delegations" in keys) is in_menu


def test_the_register_lists_past_current_and_revoked_delegations(as_user):
    vice_minister = h.person(d.VICE_MINISTER)
    DelegationFactory(
        delegate=vice_minister,
        decision_reference="QĐ cũ",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 6, 30),
    )
    DelegationFactory(
        delegate=vice_minister,
        decision_reference="QĐ hiện hành",
        starts_on=dt.date(2026, 12, 1),
        ends_on=dt.date(2026, 12, 31),
    )
    DelegationFactory(
        delegate=vice_minister,
        decision_reference="QĐ sắp tới",
        starts_on=dt.date(2027, 1, 1),
        ends_on=dt.date(2027, 1, 31),
    )
    DelegationFactory(
        delegate=vice_minister,
        decision_reference="QĐ đã thu hồi",
        revoked_at=NOW,
        revoked_by=h.person(d.MINISTER),
    )

    page = as_user(d.CLERK).get(reverse("delegation:register"))

    assert page.status_code == 200
    rows = {row["delegation"].decision_reference: row["state"] for row in page.context["rows"]}
    assert rows == {
        "QĐ cũ": "ended",
        "QĐ hiện hành": "in_force",
        "QĐ sắp tới": "upcoming",
        "QĐ đã thu hồi": "revoked",
    }
    text = page.content.decode()
    assert "01/12/2026 – 31/12/2026" in text
    # A reader sees no form and no revoke button.
    assert 'data-testid="delegation-form"' not in text and 'data-testid="revoke"' not in text


def test_the_minister_sees_the_form_and_revoke_buttons_without_the_instruction(as_user):
    DelegationFactory(delegate=h.person(d.VICE_MINISTER))
    text = as_user(d.MINISTER).get(reverse("delegation:register")).content.decode()
    assert 'data-testid="delegation-form"' in text and 'data-testid="revoke"' in text
    assert "instruction_reference" not in text


def test_an_administrator_is_asked_for_the_ministers_instruction(as_user):
    DelegationFactory(delegate=h.person(d.VICE_MINISTER))
    client = as_user(d.ADMINISTRATOR)
    text = client.get(reverse("delegation:register")).content.decode()
    assert text.count('name="instruction_reference"') == 2  # the form and the revoke button
    response = post(client)
    assert response.status_code == 400
    assert (
        "Give the reference of the Minister&#x27;s written instruction."
        in response.content.decode()
    )
    assert post(client, instruction_reference=d.INSTRUCTION).status_code == 302


def test_recording_through_the_form(as_user):
    response = post(as_user(d.MINISTER), all_kinds=None, kinds=["five_year_plan", "annual_plan"])
    assert response.status_code == 302
    delegation = Delegation.objects.get()
    assert delegation.kinds == ["annual_plan", "five_year_plan"]
    assert (delegation.starts_on, delegation.ends_on) == (
        dt.date(2026, 12, 1),
        dt.date(2026, 12, 31),
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"starts_on": "31/02/2026"},
        {"starts_on": "0001-01-01"},
        {"ends_on": "01/01/9999"},
        {"ends_on": "hôm nay"},
        {"starts_on": "31/12/2026", "ends_on": "01/12/2026"},
        {"delegate": "abc"},
        {"delegate": "99999999999999999999"},
        {"delegate": ""},
        {"all_kinds": None},
        {"all_kinds": None, "kinds": ["<script>"]},
        {"decision_reference": ""},
        {"decision_reference": "Q" * 5000},
        {"decision_reference": "QĐ\x00"},
        {"ends_on": "01/11/2026", "starts_on": "01/10/2026"},
    ],
)
def test_bad_input_is_a_400_with_the_form_never_a_500(as_user, changes):
    response = post(as_user(d.MINISTER), **changes)
    assert response.status_code == 400
    assert 'data-testid="form-errors"' in response.content.decode()
    assert not Delegation.objects.exists()


def test_revoking_through_the_page(as_user):
    delegation = DelegationFactory(delegate=h.person(d.VICE_MINISTER))
    client = as_user(d.MINISTER)
    response = client.post(reverse("delegation:revoke", args=[delegation.pk]))
    assert response.status_code == 302
    delegation.refresh_from_db()
    assert delegation.revoked_by.username == d.MINISTER
    # Twice: a conflict, said on the page.
    again = client.post(reverse("delegation:revoke", args=[delegation.pk]))
    assert again.status_code == 409
    assert "This delegation has already been revoked." in again.content.decode()


def test_an_administrator_revoking_without_the_instruction_is_told(as_user):
    delegation = DelegationFactory(delegate=h.person(d.VICE_MINISTER))
    response = as_user(d.ADMINISTRATOR).post(
        reverse("delegation:revoke", args=[delegation.pk]), {"instruction_reference": "x" * 400}
    )
    assert response.status_code == 400
    delegation.refresh_from_db()
    assert delegation.revoked_at is None


@pytest.mark.parametrize("method", ["get", "put"])
def test_the_write_urls_take_only_post(as_user, method):
    client = as_user(d.MINISTER)
    assert getattr(client, method)(reverse("delegation:record")).status_code == 405
    assert getattr(client, method)(reverse("delegation:revoke", args=[1])).status_code == 405
