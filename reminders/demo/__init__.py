"""Demo heads of unit and reminder settings, from heads.yaml beside this module, so the
demo shows escalations. Idempotent, and it never replaces a head or a leadership unit an
administrator (or another demo file) has set."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.db import transaction
from django.utils.translation import gettext as _

from organisation.models import Person, Unit

from ..models import ReminderSettings

HERE = Path(__file__).parent


def read() -> dict:
    return yaml.safe_load((HERE / "heads.yaml").read_text(encoding="utf-8"))


@transaction.atomic
def load_demo() -> str:
    data = read()
    people = Person.objects.in_bulk(data["heads"].values(), field_name="username")
    set_heads = 0
    for code, username in data["heads"].items():
        if username in people:
            set_heads += Unit.objects.filter(code=code, head__isnull=True).update(
                head=people[username]
            )
    config = ReminderSettings.load()
    if config.leadership_unit_id is None:
        config.leadership_unit = Unit.objects.filter(code=data["leadership_unit"]).first()
        config.save()
    return _("Heads of unit set: %(count)d") % {"count": set_heads}
