"""The person's own notification settings page (digests only)."""

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse

from reminders.models import NotificationPreference
from tests.factories import PersonFactory

URL = reverse("reminders:settings")


@pytest.fixture
def person(db):
    return PersonFactory()


def test_a_person_chooses_digests_only_and_back(client, person):
    client.force_login(person)
    page = client.get(URL)
    assert page.status_code == 200 and b'name="digest_only"' in page.content
    assert client.post(URL, {"digest_only": "on"}).status_code == 302
    assert NotificationPreference.objects.get(person=person).digest_only
    assert b"checked" in client.get(URL).content
    client.post(URL, {})
    assert not NotificationPreference.objects.get(person=person).digest_only


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_header_links_to_it(client, person):
    client.force_login(person)
    assert f'href="{URL}"'.encode() in client.get(reverse("home")).content


def test_other_methods_are_refused(client, person):
    client.force_login(person)
    assert client.put(URL).status_code == 405


def test_the_audit_trail_shows_the_job_events(client, demo_org):
    from organisation.models import Person
    from reminders.services import reminders_send

    from .helpers import task

    task("Late", state="submitted", due_on=dt.date(2026, 11, 25))
    reminders_send(on=dt.date(2026, 11, 27))
    client.force_login(Person.objects.get(username="thanhtra"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("audit:trail"), {"action": "reminders.digest.sent"})
    assert page.status_code == 200
    assert "Daily digest of tasks sent" in page.content.decode()
