"""Administrators change n, m and the unit told of late signatures in the admin."""

import pytest
from django.urls import reverse

from organisation import roles
from organisation.models import Unit
from reminders.models import ReminderSettings
from tests.factories import PersonFactory


@pytest.fixture
def superuser(db):
    return PersonFactory(is_superuser=True, is_staff=True)


def test_the_one_settings_row_opens_from_the_list_with_the_defaults(client, superuser):
    client.force_login(superuser)
    response = client.get(reverse("admin:reminders_remindersettings_changelist"))
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    config = ReminderSettings.load()
    assert (config.days_before, config.escalate_after, config.leadership_unit) == (2, 3, None)


def test_an_administrator_changes_the_schedule(client, superuser, demo_org):
    client.force_login(superuser)
    url = reverse("admin:reminders_remindersettings_change", args=[ReminderSettings.load().pk])
    office = Unit.objects.get(code="VP")
    response = client.post(
        url, {"days_before": "3", "escalate_after": "5", "leadership_unit": office.pk}
    )
    assert response.status_code == 302
    config = ReminderSettings.load()
    assert (config.days_before, config.escalate_after, config.leadership_unit) == (3, 5, office)


def test_zero_days_overdue_is_refused(client, superuser):
    client.force_login(superuser)
    url = reverse("admin:reminders_remindersettings_change", args=[ReminderSettings.load().pk])
    response = client.post(url, {"days_before": "2", "escalate_after": "0"})
    assert response.status_code == 200 and ReminderSettings.load().escalate_after == 3


def test_staff_without_permission_cannot_see_it(client, demo_org):
    person = PersonFactory(role=roles.ADMINISTRATOR)
    client.force_login(person)
    response = client.get(reverse("admin:reminders_remindersettings_changelist"))
    assert response.status_code == 403
    assert not ReminderSettings.objects.exists()
