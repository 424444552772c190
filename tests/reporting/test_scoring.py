"""The scoring methods and grade bands: each method at its boundaries, and properties
that hold for every input (never negative, never above the maximum, monotone)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reporting import scoring

D = Decimal
TIERS = {"tiers": [{"from": 1, "points": 2}, {"from": 3, "points": 4}, {"from": 5, "points": 5}]}
PARAMS = {
    scoring.RATIO: {},
    scoring.NORMALISED: {},
    scoring.YES_NO: {"points": 3},
    scoring.TIERED: TIERS,
    scoring.CAPPED_COUNT: {"per_item": 1, "cap": 5},
}
BANDS = [
    {"grade": "good", "from": 85},
    {"grade": "fair", "from": 70},
    {"grade": "average", "from": 50},
    {"grade": "poor", "from": 0},
]

values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.decimals(allow_nan=True, allow_infinity=True, places=4),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=5),
)
maxima = st.decimals(min_value=D("0.5"), max_value=D(1000), places=2)
ratios = st.decimals(min_value=-1, max_value=2, places=4)


@pytest.mark.parametrize("method", list(scoring.METHODS))
@given(value=values, best=values, maximum=maxima)
def test_points_are_never_negative_nor_above_the_maximum(method, value, best, maximum):
    points = scoring.score(method, PARAMS[method], maximum, value, best=best)
    assert D(0) <= points <= maximum
    assert points == points.quantize(D("0.01"))


@given(a=ratios, b=ratios, maximum=maxima)
def test_ratio_is_monotone(a, b, maximum):
    low, high = sorted((a, b))
    assert scoring.score("ratio", {}, maximum, low) <= scoring.score("ratio", {}, maximum, high)


@given(a=ratios, b=ratios, best=st.decimals(min_value=D("0.01"), max_value=2, places=2))
def test_normalised_is_monotone_in_the_value(a, b, best):
    low, high = sorted((a, b))
    assert scoring.score("normalised", {}, 10, low, best=best) <= scoring.score(
        "normalised", {}, 10, high, best=best
    )


@given(a=st.integers(-5, 50), b=st.integers(-5, 50))
def test_tiered_and_capped_count_are_monotone(a, b):
    low, high = sorted((a, b))
    for method in (scoring.TIERED, scoring.CAPPED_COUNT):
        assert scoring.score(method, PARAMS[method], 5, low) <= scoring.score(
            method, PARAMS[method], 5, high
        )


@pytest.mark.parametrize(
    ("method", "value", "best", "expected"),
    [
        ("ratio", D("0.5"), None, D("5.00")),
        ("ratio", D("1.7"), None, D("10.00")),  # above 100 %: capped at the maximum
        ("ratio", D("-0.2"), None, D("0.00")),
        ("ratio", None, None, D("0.00")),  # a missing value scores 0
        ("ratio", D("0.33335"), None, D("3.33")),  # 3.3335 rounds half up
        ("normalised", 30, 60, D("5.00")),
        ("normalised", 60, 60, D("10.00")),
        ("normalised", 0, 0, D("0.00")),  # every unit at 0: 0, not a division error
        ("normalised", 5, 0, D("0.00")),
        ("normalised", 5, None, D("0.00")),
        ("yes_no", True, None, D("3.00")),
        ("yes_no", False, None, D("0.00")),
        ("yes_no", None, None, D("0.00")),
        ("tiered", 0, None, D("0.00")),
        ("tiered", 1, None, D("2.00")),
        ("tiered", D("4.9"), None, D("4.00")),
        ("tiered", 9, None, D("5.00")),
        ("capped_count", 3, None, D("3.00")),
        ("capped_count", D("3.9"), None, D("3.00")),  # part of an item earns nothing
        ("capped_count", 12, None, D("5.00")),
    ],
)
def test_each_method_at_its_boundaries(method, value, best, expected):
    assert scoring.score(method, PARAMS[method], 10, value, best=best) == expected


def test_an_unknown_method_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown scoring method"):
        scoring.score("guess", {}, 10, 1)


@pytest.mark.parametrize(
    ("method", "params", "maximum", "ok"),
    [
        ("ratio", {}, 10, True),
        ("ratio", {}, 0, False),
        ("ratio", {"points": 1}, 10, False),
        ("yes_no", {"points": 10}, 10, True),
        ("yes_no", {"points": 11}, 10, False),
        ("yes_no", {}, 10, False),
        ("capped_count", {"per_item": 1, "cap": 5}, 5, True),
        ("capped_count", {"per_item": 1, "cap": 6}, 5, False),
        ("capped_count", {"per_item": 1}, 5, False),
        ("tiered", TIERS, 5, True),
        ("tiered", TIERS, 4, False),
        ("tiered", {"tiers": []}, 5, False),
        ("tiered", {"tiers": [{"from": 3, "points": 2}, {"from": 1, "points": 4}]}, 5, False),
        ("tiered", {"tiers": [{"from": 1, "points": 4}, {"from": 3, "points": 2}]}, 5, False),
        ("tiered", {"tiers": [{"from": "x", "points": 4}]}, 5, False),
        ("guess", {}, 5, False),
    ],
)
def test_parameters_are_validated_per_method(method, params, maximum, ok):
    assert (scoring.problems(method, params, maximum) == []) is ok


def test_grade_bands_cover_zero_to_the_total_best_first():
    assert scoring.band_problems(BANDS, 100) == []
    assert scoring.band_problems(BANDS[::-1], 100)
    assert scoring.band_problems(
        [{**b, "from": 10} if b["grade"] == "poor" else b for b in BANDS], 100
    )
    assert (
        scoring.band_problems(
            [{**b, "from": 60} if b["grade"] == "fair" else b for b in BANDS], 100
        )
        == []
    )
    assert scoring.band_problems(
        [{**b, "from": 40} if b["grade"] == "fair" else b for b in BANDS], 100
    )
    assert scoring.band_problems(BANDS, 80)
    assert scoring.band_problems(BANDS[:3], 100)


@pytest.mark.parametrize(
    ("points", "grade"),
    [
        (100, "good"),
        (85, "good"),
        (D("84.995"), "good"),
        (D("84.994"), "fair"),
        (70, "fair"),
        (D("69.99"), "average"),
        (50, "average"),
        (D("49.9"), "poor"),
        (0, "poor"),
    ],
)
def test_a_tie_at_a_grade_boundary_is_decided_on_the_rounded_total(points, grade):
    assert scoring.grade(points, BANDS) == grade
