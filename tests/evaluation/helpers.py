"""Helpers for the evaluation tests: an issued criteria set (the demo's), unit heads, an
open evaluation, and a unit's complete self-assessment through the real services."""

from __future__ import annotations

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from evaluation import selectors, services
from evaluation.models import Evaluation, SelfAssessment
from organisation.models import Unit
from tests.factories import PersonFactory
from tests.reporting import helpers as r
from tests.workflows import helpers as h

CENTRE = "soanthao.tttt"
COUNCIL = "hoidong.tdkt"
MINISTER = "botruong"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="minh-chung.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def heads() -> dict[str, object]:
    """A head for every unit to assess, username "head.<code>"."""
    found = {}
    for unit in selectors.units_to_assess():
        head = PersonFactory(username=f"head.{unit.code.lower()}", unit=unit)
        Unit.objects.filter(pk=unit.pk).update(head=head)
        found[unit.code] = head
    return found


def open_evaluation(**dues) -> Evaluation:
    criteria = r.make_criteria("issued")
    return services.evaluation_open(user=h.person(CENTRE), criteria_document_id=criteria.pk, **dues)


def assessment(evaluation: Evaluation, code: str) -> SelfAssessment:
    return SelfAssessment.objects.select_related("unit").get(evaluation=evaluation, unit__code=code)


def fill_all(a: SelfAssessment, user, *, value: Decimal = Decimal("1"), submit=True):
    """Every value that is still empty gets `value`, prefilled ones stay; one PDF for each
    indicator that needs evidence; then submit."""
    entries = {
        v.indicator_id: services.Entry(value=v.value if v.prefill_source else value)
        for v in a.values.all()
    }
    services.self_assessment_fill(user=user, assessment_id=a.pk, entries=entries)
    for v in a.values.select_related("indicator").filter(indicator__evidence_required=True):
        services.evidence_add(user=user, value_id=v.pk, upload=pdf())
    if submit:
        services.self_assessment_submit(user=user, assessment_id=a.pk)
    a.refresh_from_db()
    return a
