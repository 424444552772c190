"""The demo loads the year's evaluation from its data file, through the services."""

import pytest

from evaluation import demo
from evaluation.models import Evaluation, SelfAssessment
from reporting import demo as criteria_demo
from tests.workflows import helpers as h

pytestmark = pytest.mark.usefixtures("demo_org")


def test_demo_opens_the_evaluation_with_some_self_assessments():
    from organisation.demo import load_staff

    load_staff()
    criteria_demo.load_demo()

    message = demo.load_demo()

    assert "2 submitted" in message, message
    evaluation = Evaluation.objects.get()
    assert evaluation.criteria.document.state == "issued"
    submitted = SelfAssessment.objects.filter(evaluation=evaluation, state="submitted")
    assert sorted(submitted.values_list("unit__code", flat=True)) == ["KH", "TTTT"]
    assert demo.load_demo() == "Demo evaluation: already existed"
    assert h.person("hungtq").pk == evaluation.assessments.get(unit__code="TTTT").unit.head_id
