from __future__ import annotations

from .models import NotificationPreference, ReminderSettings


def digest_only(person) -> bool:
    return NotificationPreference.objects.filter(person=person, digest_only=True).exists()


def reminder_settings() -> ReminderSettings:
    return ReminderSettings.load()
