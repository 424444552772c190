"""The demo evaluation of the current year (assessments.yaml beside this module), through
the real services. Idempotent: nothing is done when the year's evaluation exists."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import yaml
from django.core.files.base import ContentFile
from django.db import transaction
from django.test.utils import override_settings

from organisation.models import Person, Unit
from reporting.kinds import KIND as CRITERIA_KIND
from workflows.models import Document, State
from workflows.scripted import document_take
from worktime.calendar import today

from .. import services
from ..models import Evaluation, SelfAssessment

HERE = Path(__file__).parent
CENTRE, REVIEWER, SIGNER, CLERK = "soanthao.tttt", "thamdinh.kh", "botruong", "vanthu.vp"
REASON = "Theo số liệu rà soát của đơn vị"
PDF = b"%PDF-1.4\n% demo evidence\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def read(name: str = "assessments.yaml") -> dict:
    return yaml.safe_load((HERE / name).read_text(encoding="utf-8"))


def _issue(document: Document, people: dict[str, Person]) -> Document:
    """Take the demo criteria set to issued through the engine, the way its reviewers
    would: submit, endorse, sign, and the Office's issue."""
    steps = [("submit", CENTRE), ("endorse", REVIEWER), ("sign", SIGNER), ("issue", CLERK)]
    return document_take(
        document_id=document.pk, steps=[(action, people[name]) for action, name in steps]
    )


def load_demo() -> str:
    data = read()
    usernames = {CENTRE, REVIEWER, SIGNER, CLERK} | {u["head"] for u in data["units"]}
    people = {p.username: p for p in Person.objects.filter(username__in=usernames)}
    if set(people) != usernames:
        return "Demo evaluation skipped: missing demo accounts"
    year = today().year
    if Evaluation.objects.filter(year=year).exists():
        return "Demo evaluation: already existed"
    criteria = Document.objects.filter(kind=CRITERIA_KIND, year=year).order_by("pk").first()
    if criteria is None:
        return "Demo evaluation skipped: no criteria set"
    day = today()
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
        transaction.atomic(),
    ):
        if criteria.state != State.ISSUED:
            criteria = _issue(criteria, people)
        evaluation = services.evaluation_open(
            user=people[CENTRE],
            criteria_document_id=criteria.pk,
            self_due_on=day + dt.timedelta(days=data["due_in_days"]),
            ranking_due_on=day + dt.timedelta(days=data["ranking_due_in_days"]),
        )
        Evaluation.objects.filter(pk=evaluation.pk).update(
            opened_at=evaluation.opened_at - dt.timedelta(days=data["opened_days_ago"])
        )
        submitted = 0
        for spec in data["units"]:
            # A head an administrator chose stays, and fills the unit's self-assessment.
            Unit.objects.filter(code=spec["code"], head__isnull=True).update(
                head=people[spec["head"]]
            )
            head = Unit.objects.select_related("head").get(code=spec["code"]).head
            a = SelfAssessment.objects.get(evaluation=evaluation, unit__code=spec["code"])
            values = {v.indicator.code: v for v in a.values.select_related("indicator")}
            entries = {
                values[code].indicator_id: services.Entry(
                    value=Decimal(str(number)),
                    explanation="Số liệu năm của đơn vị",
                    correction_reason=REASON if values[code].prefill_source else "",
                )
                for code, number in spec["values"].items()
                if code in values
            }
            services.self_assessment_fill(user=head, assessment_id=a.pk, entries=entries)
            if not spec.get("submit"):
                continue
            for v in values.values():
                if v.indicator.evidence_required:
                    services.evidence_add(
                        user=head, value_id=v.pk, upload=ContentFile(PDF, name="minh-chung.pdf")
                    )
            services.self_assessment_submit(user=head, assessment_id=a.pk)
            submitted += 1
    return (
        f"Demo evaluation {year}: {len(data['units'])} units self-assessing, {submitted} submitted"
    )
