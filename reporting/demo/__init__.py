"""The demo criteria sets (criteria.yaml beside this module), through the real services:
the current year's, drafted by the Information Centre (the evaluation demo issues it to
open the year), and next year's, reviewed and signed by the Minister and waiting for the
Office to number and issue it, so the clerk's My work has the issue step. Idempotent by
kind and year."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from organisation.models import Person
from workflows.models import Document
from workflows.scripted import document_take

from .. import services
from ..kinds import KIND

HERE = Path(__file__).parent
DRAFTER, REVIEWER, SIGNER = "soanthao.tttt", "thamdinh.kh", "botruong"
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


def _draft(drafter: Person, year: int, data: dict) -> Document:
    groups, indicators = rows(data)
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
    return criteria.document


def load_demo() -> str:
    people = {
        p.username: p for p in Person.objects.filter(username__in=[DRAFTER, REVIEWER, SIGNER])
    }
    if len(people) != 3:
        return "Demo criteria set skipped: missing demo accounts"
    year = timezone.localdate().year
    data = read()
    said = []
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
        transaction.atomic(),
    ):
        if not Document.objects.filter(kind=KIND, year=year).exists():
            _draft(people[DRAFTER], year, data)
            said.append(f"{year} (draft)")
        if not Document.objects.filter(kind=KIND, year=year + 1).exists():
            document = _draft(people[DRAFTER], year + 1, data)
            steps = [("submit", DRAFTER), ("endorse", REVIEWER), ("sign", SIGNER)]
            document_take(document_id=document.pk, steps=[(a, people[name]) for a, name in steps])
            said.append(f"{year + 1} (signed, waiting for the Office)")
    if not said:
        return "Demo criteria sets: already existed"
    return f"Demo criteria sets: {', '.join(said)}"
