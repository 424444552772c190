"""The demo organisation, read from the YAML files beside this module so that people who
know the Committee can edit it: accounts.yaml holds the units and one account per role
(what the tests load), staff.yaml the other departments and about fifty more people.
Loading is idempotent: units and people are matched by code and user name, never
duplicated, and what someone changed in the demo is kept."""

from pathlib import Path

import yaml
from django.contrib.auth.hashers import make_password
from django.db import transaction

from .. import roles
from ..models import Person, Unit

DEMO_PASSWORD = "ubdt-demo-2026"
HERE = Path(__file__).parent
UNIT_KEYS = {"code", "name_vi", "name_en", "order"}
PERSON_KEYS = {"user", "name", "unit", "title", "title_en"}


def read(name: str) -> dict:
    """One data file, checked: every unit and person has exactly the expected keys."""
    data = yaml.safe_load((HERE / name).read_text(encoding="utf-8"))
    for unit in data.get("units", []):
        if set(unit) != UNIT_KEYS:
            raise ValueError(f"{name}: unit {unit} needs exactly {sorted(UNIT_KEYS)}")
    for person in data["people"]:
        if not PERSON_KEYS <= set(person) <= PERSON_KEYS | {"role"}:
            raise ValueError(f"{name}: person {person} needs {sorted(PERSON_KEYS)} (+ role)")
        if person.get("role") and person["role"] not in roles.ROLES:
            raise ValueError(f"{name}: unknown role {person['role']}")
    return data


_ACCOUNTS = read("accounts.yaml")
UNITS = [(u["code"], u["name_vi"], u["name_en"], u["order"]) for u in _ACCOUNTS["units"]]
# user name, full name, unit, position (vi), position (en), role
PEOPLE = [
    (p["user"], p["name"], p["unit"], p["title"], p["title_en"], p["role"])
    for p in _ACCOUNTS["people"]
]


def _load(data: dict) -> dict[str, int]:
    roles.sync_roles()
    created_units = 0
    for u in data.get("units", []):
        _unit, created = Unit.objects.get_or_create(
            code=u["code"],
            defaults={"name_vi": u["name_vi"], "name_en": u["name_en"], "sort_order": u["order"]},
        )
        created_units += created
    units = {u.code: u for u in Unit.objects.all()}
    existing = set(Person.objects.values_list("username", flat=True))
    # One hash for every demo account: the password is public, and hashing it sixty
    # times would cost the newcomer tens of seconds.
    password = make_password(DEMO_PASSWORD)
    created_people = 0
    for p in data["people"]:
        if p["user"] in existing:
            continue
        role = roles.ROLES.get(p.get("role", ""))
        person = Person(
            username=p["user"],
            full_name=p["name"],
            unit=units[p["unit"]],
            position_title=p["title"],
            position_title_en=p["title_en"],
            email=f"{p['user']}@demo.ubdt.gov.vn",
            is_staff=bool(role and role.staff),
            password=password,
        )
        person.save()
        if role:
            person.groups.add(roles.group_for(role.code))
        created_people += 1
    return {"units": created_units, "people": created_people}


@transaction.atomic
def load_organisation() -> dict[str, int]:
    """The units and one account per role (the test suite's demo organisation)."""
    return _load(_ACCOUNTS)


@transaction.atomic
def load_staff() -> dict[str, int]:
    """The other departments and their people, for the full demo (manage.py load_demo)."""
    return _load(read("staff.yaml"))
