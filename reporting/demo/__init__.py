"""The demo criteria set (criteria.yaml beside this module): a draft of the current year
drafted by the Information Centre through the real services. Idempotent by kind and
year."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from organisation.models import Person
from workflows.models import Document

from .. import services
from ..kinds import KIND

HERE = Path(__file__).parent
DRAFTER = "soanthao.tttt"
INDICATOR_KEYS = {"code", "name", "unit", "max", "method", "evidence", "applies_to"}


def read(name: str = "criteria.yaml") -> dict:
    """The data file, checked against the keys the loader reads."""
    data = yaml.safe_load((HERE / name).read_text(encoding="utf-8"))
    for group in data["groups"]:
        for i in group["indicators"]:
            if not INDICATOR_KEYS <= set(i) <= INDICATOR_KEYS | {"params"}:
                raise ValueError(
                    f"{name}: indicator {i.get('code')} needs {sorted(INDICATOR_KEYS)}"
                )
    return data


def rows(data: dict) -> tuple[list, list]:
    groups = [services.GroupRow(g["code"], g["name"]) for g in data["groups"]]
    indicators = [
        services.IndicatorRow(
            group=g["code"],
            code=i["code"],
            name=i["name"],
            unit_of_measure=i["unit"],
            max_points=i["max"],
            method=i["method"],
            params=i.get("params", {}),
            evidence_required=i["evidence"],
            applies_to=i["applies_to"],
        )
        for g in data["groups"]
        for i in g["indicators"]
    ]
    return groups, indicators


def load_demo() -> str:
    drafter = Person.objects.filter(username=DRAFTER).first()
    if drafter is None:
        return "Demo criteria set skipped: missing demo accounts"
    year = timezone.localdate().year
    if Document.objects.filter(kind=KIND, year=year).exists():
        return "Demo criteria set: already existed"
    data = read()
    groups, indicators = rows(data)
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
        transaction.atomic(),
    ):
        criteria = services.criteria_set_create(user=drafter, year=year)
        services.criteria_set_update(
            user=drafter,
            document_id=criteria.pk,
            version=None,
            title=criteria.document.title,
            groups=groups,
            indicators=indicators,
            bands=data["bands"],
        )
    return f"Demo criteria set {year}: {len(groups)} groups, {len(indicators)} indicators (draft)"
