"""Administrators keep the step durations and the Government's day swaps in the admin:
the pages open, a kind is chosen from the registered kinds, and bad rows are refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from deadlines.models import StepDuration
from tests.factories import PersonFactory
from workflows import kinds
from worktime.models import DaySwap

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, demo_org):
    client.force_login(PersonFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    "name",
    [
        "admin:deadlines_stepduration_changelist",
        "admin:deadlines_stepduration_add",
        "admin:worktime_dayswap_changelist",
        "admin:worktime_dayswap_add",
    ],
)
def test_the_admin_pages_open(admin_client, name):
    assert admin_client.get(reverse(name)).status_code == 200


def add_duration(client, **data):
    return client.post(reverse("admin:deadlines_stepduration_add"), data)


def test_a_duration_is_saved_for_a_registered_kind(admin_client):
    response = add_duration(admin_client, kind="annual_plan", step="review", working_days="7")
    assert response.status_code == 302
    row = StepDuration.objects.get()
    assert (row.kind, row.step, row.working_days) == ("annual_plan", "review", 7)
    changelist = admin_client.get(reverse("admin:deadlines_stepduration_changelist"))
    with translation.override("vi"):
        label = str(kinds.get("annual_plan").label)
    assert label in changelist.content.decode()  # the kind by its name, not its code


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "no_such_kind", "step": "review", "working_days": "7"},
        {"kind": "annual_plan", "step": "opinion", "working_days": "7"},  # approval kind
        {"kind": "competency_standard", "step": "review", "working_days": "7"},  # opinion kind
        {"kind": "annual_plan", "step": "review", "working_days": "0"},
        {"kind": "annual_plan", "step": "review", "working_days": "251"},
        {"kind": "annual_plan", "step": "review", "working_days": "-3"},
        {"kind": "annual_plan", "step": "review", "working_days": "abc"},
        {"kind": "annual_plan", "step": "nap", "working_days": "3"},
    ],
)
def test_a_bad_duration_is_refused_with_the_form_again(admin_client, data):
    response = add_duration(admin_client, **data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not StepDuration.objects.exists()


def test_one_duration_per_kind_and_step(admin_client):
    add_duration(admin_client, kind="annual_plan", step="review", working_days="7")
    response = add_duration(admin_client, kind="annual_plan", step="review", working_days="8")
    assert response.status_code == 200
    assert StepDuration.objects.count() == 1


def test_a_day_swap_is_added_in_the_admin(admin_client):
    response = admin_client.post(
        reverse("admin:worktime_dayswap_add"),
        {"date": "09/01/2027", "kind": "work", "reason": "Thông báo làm bù"},
    )
    assert response.status_code == 302
    swap = DaySwap.objects.get()
    assert (swap.date, swap.kind) == (dt.date(2027, 1, 9), "work")
    again = admin_client.post(
        reverse("admin:worktime_dayswap_add"), {"date": "09/01/2027", "kind": "off"}
    )
    assert again.status_code == 200  # one swap per day
    bad = admin_client.post(
        reverse("admin:worktime_dayswap_add"), {"date": "31/02/2027", "kind": "work"}
    )
    assert bad.status_code == 200 and DaySwap.objects.count() == 1
