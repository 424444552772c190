"""The pages: what each role sees, and a query count that does not grow with the number of
units or indicators (10 and 60 units)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from evaluation.models import Evidence, SelfAssessment, Value
from tests.evaluation import helpers as e
from tests.factories import PersonFactory, UnitFactory

pytestmark = pytest.mark.usefixtures("demo_org")


def _evaluation_with_units(n: int):
    """n units besides the demo's, each submitted with values and one evidence row."""
    for i in range(n):
        unit = UnitFactory(code=f"BDT{i:02d}")
        unit.head = PersonFactory(username=f"head.bdt{i:02d}", unit=unit)
        unit.save()
    evaluation = e.open_evaluation()
    SelfAssessment.objects.filter(evaluation=evaluation).update(
        state=SelfAssessment.State.SUBMITTED, submitted_on=dt.date(2026, 11, 20)
    )
    values = list(Value.objects.filter(assessment__evaluation=evaluation))
    for k, v in enumerate(values):
        v.value = Decimal(k % 5)
    Value.objects.bulk_update(values, ["value"])
    Evidence.objects.bulk_create(
        Evidence(
            value=v, file="evaluation/x.pdf", name="x.pdf", size=10, content_type="application/pdf"
        )
        for v in values[::7]
    )
    return evaluation


@pytest.mark.parametrize(
    ("username", "page"),
    [
        (e.COUNCIL, "ranking"),
        (e.CENTRE, "cycle"),
        (e.CENTRE, "assessment"),
        ("head.bdt00", "assessment"),
    ],
)
def test_query_count_does_not_grow_with_units(
    as_user, django_assert_max_num_queries, username, page
):
    counts = []
    for n in (10, 60):
        if n == 60:
            from evaluation.models import Evaluation

            Evaluation.objects.all().delete()
        evaluation = _evaluation_with_units(n)
        client = as_user(username)
        own = SelfAssessment.objects.get(evaluation=evaluation, unit__code="BDT00")
        url = {
            "ranking": reverse("evaluation:ranking", args=[2026]),
            "cycle": reverse("evaluation:cycle", args=[2026]),
            "assessment": reverse("evaluation:assessment", args=[own.pk]),
        }[page]
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, response.content[:500]
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    with django_assert_max_num_queries(counts[0]):
        client.get(url)
