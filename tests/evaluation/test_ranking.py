"""The ranking across units: normalised-to-best over all submitted units, a best of 0
scoring 0, equal totals sharing a rank, the grade read on the rounded total."""

import datetime as dt
from decimal import Decimal

import pytest

from evaluation import selectors
from evaluation.models import SelfAssessment, Value
from reporting import scoring
from tests.evaluation import helpers as e

pytestmark = pytest.mark.usefixtures("demo_org")


def _set(evaluation, values_by_unit: dict[str, dict[str, Decimal]], default=Decimal(0)):
    for a in SelfAssessment.objects.filter(evaluation=evaluation).select_related("unit"):
        given = values_by_unit.get(a.unit.code)
        if given is None:
            continue
        rows = list(a.values.select_related("indicator"))
        for v in rows:
            v.value = given.get(v.indicator.code, default)
        Value.objects.bulk_update(rows, ["value"])
        a.state, a.submitted_on = "submitted", dt.date(2026, 11, 20)
        a.save()


def test_normalised_to_best_across_units_and_best_zero():
    evaluation = e.open_evaluation()
    _set(evaluation, {"TTTT": {"1.2": Decimal(200)}, "KH": {"1.2": Decimal(100)}, "VP": {}})
    ranking = selectors.compute(evaluation)
    points = {
        r["code"]: next(c["points"] for c in r["indicators"] if c["code"] == "1.2")
        for r in ranking["units"]
    }
    assert points["TTTT"] == "6.00" and points["KH"] == "3.00" and points["VP"] == "0.00"
    # 2.3 is normalised too: every unit at 0 → 0 points, no division error.
    assert all(
        c["points"] == "0.00"
        for r in ranking["units"]
        for c in r["indicators"]
        if c["code"] == "2.3"
    )


def test_ties_share_a_rank_and_are_listed_by_code():
    evaluation = e.open_evaluation()
    same = {"1.1": Decimal("0.5"), "4.4": Decimal(3)}
    _set(evaluation, {"VP": same, "KH": same, "TTTT": {"1.1": Decimal(1)}})
    rows = selectors.compute(evaluation)["units"]
    by_code = {r["code"]: r for r in rows}
    assert by_code["TTTT"]["rank"] == 1
    assert by_code["KH"]["rank"] == by_code["VP"]["rank"] == 2
    assert [r["code"] for r in rows][:3] == ["TTTT", "KH", "VP"]
    # Units that never submitted score 0, share the last rank, and are marked late only
    # once the Centre finalises or the due date passes (not here).
    assert by_code["TCCB"]["total"] == "0.00" and by_code["TCCB"]["rank"] == 4


def test_grade_is_read_on_the_rounded_total():
    bands = [
        {"grade": g, "from": f}
        for g, f in (("good", 85), ("fair", 70), ("average", 50), ("poor", 0))
    ]
    assert scoring.grade(Decimal("84.995"), bands) == "good"
    assert scoring.grade(Decimal("84.994"), bands) == "fair"
