"""A session is renewed by use, at most once a minute, and ends 30 idle minutes later."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD, PersonFactory

pytestmark = pytest.mark.django_db

RENEW_EVERY = 60


@pytest.fixture(autouse=True)
def renewal(settings):
    # The suite's settings renew rarely, so that query counts do not depend on the clock.
    settings.SESSION_RENEW_SECONDS = RENEW_EVERY


START = dt.datetime(2027, 3, 2, 8, 0, tzinfo=dt.UTC)


def writes_of_the_session(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [
        q["sql"]
        for q in captured.captured_queries
        if "django_session" in q["sql"]
        and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
    ]


def expiry(client) -> dt.datetime:
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_pages_read_within_a_minute_do_not_write_the_session(client):
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(PersonFactory())  # signing in renews
        first = expiry(client)
        assert writes_of_the_session(client, reverse("home")) == []
        clock.shift(dt.timedelta(seconds=RENEW_EVERY - 1))
        assert writes_of_the_session(client, reverse("home")) == []
        assert expiry(client) == first
        clock.shift(dt.timedelta(seconds=2))
        assert writes_of_the_session(client, reverse("home"))
        assert expiry(client) == timezone.now() + dt.timedelta(minutes=30)


def test_a_session_used_every_half_minute_stays_and_ends_30_idle_minutes_later(client):
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(PersonFactory())
        for _ in range(120):  # an hour of work, a page every 30 seconds
            assert client.get(reverse("home")).status_code == 200
            clock.shift(dt.timedelta(seconds=30))
        last_request = timezone.now() - dt.timedelta(seconds=30)
        remaining = expiry(client) - last_request
        assert dt.timedelta(minutes=29) <= remaining <= dt.timedelta(minutes=30)
        clock.shift(dt.timedelta(minutes=30))
        response = client.get(reverse("home"))
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_signing_in_through_the_page_counts_as_a_renewal(client):
    person = PersonFactory()
    with time_machine.travel(START, tick=False) as clock:
        response = client.post(
            reverse("login"), {"username": person.username, "password": PASSWORD}
        )
        assert response.status_code == 302
        assert expiry(client) == timezone.now() + dt.timedelta(minutes=30)
        clock.shift(dt.timedelta(seconds=10))
        assert writes_of_the_session(client, reverse("home")) == []


def test_anonymous_visitors_get_no_session_row(client):
    assert client.get(reverse("login")).status_code == 200
    assert not Session.objects.exists()
