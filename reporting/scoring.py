"""The five scoring methods of the Ministry's national ranking methods, as pure functions:
an indicator's method, its parameters and its maximum, and a unit's raw value, give the
points. Points are never negative and never above the maximum, whatever the value; a
missing value scores 0. Points are rounded half up to two decimals, once, at the end, so
that a ranking built on them is reproducible by hand.

The parameters are validated by `problems` (used by the criteria set's services), so a
criteria set that is issued can always be scored.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

RATIO = "ratio"
NORMALISED = "normalised"
YES_NO = "yes_no"
TIERED = "tiered"
CAPPED_COUNT = "capped_count"

METHODS = {
    RATIO: gettext_lazy("Ratio × maximum points"),
    NORMALISED: gettext_lazy("Ratio to the best unit × maximum points"),
    YES_NO: gettext_lazy("Fixed points for yes"),
    TIERED: gettext_lazy("Tiered points"),
    CAPPED_COUNT: gettext_lazy("Points per item, capped"),
}

# The parameters each method takes; any other key is refused.
PARAMETERS = {
    RATIO: set(),
    NORMALISED: set(),
    YES_NO: {"points"},
    TIERED: {"tiers"},
    CAPPED_COUNT: {"per_item", "cap"},
}

CENT = Decimal("0.01")
ZERO = Decimal(0)


def _number(value: Any) -> Decimal | None:
    """A finite Decimal, or None for a missing or unreadable value."""
    if isinstance(value, Decimal):
        # A signalling NaN raises on any comparison, even with "": test it first.
        return value if value.is_finite() else None
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _bounded(points: Decimal, maximum: Decimal) -> Decimal:
    return min(max(points, ZERO), max(maximum, ZERO)).quantize(CENT, rounding=ROUND_HALF_UP)


def score(
    method: str,
    params: Mapping[str, Any],
    maximum: Decimal | int | str,
    value: Any,
    *,
    best: Any = None,
) -> Decimal:
    """The points for `value`, between 0 and `maximum`.

    - ratio: `value` is a share from 0 to 1; points = share × maximum.
    - normalised: points = value / best × maximum, `best` being the best value of all
      units; a best value of 0 (or less) scores 0, never a division error.
    - yes_no: a true value earns `points`.
    - tiered: `tiers` is a list of {"from": threshold, "points": p}; the highest
      threshold reached earns its points (a checklist is tiers over the count ticked).
    - capped_count: `per_item` points for each item counted, at most `cap`.
    """
    maximum = _number(maximum) or ZERO
    if method == YES_NO:
        earned = _number(params.get("points")) or ZERO
        # Only a yes earns: True, 1 or "yes"/"1" (never a NaN, which cannot be compared).
        yes = value is True or (
            not isinstance(value, bool) and (_number(value) == 1 or value in ("1", "yes"))
        )
        return _bounded(earned if yes else ZERO, maximum)
    number = _number(value)
    if number is None:
        return _bounded(ZERO, maximum)
    if method == RATIO:
        points = min(max(number, ZERO), Decimal(1)) * maximum
    elif method == NORMALISED:
        top = _number(best)
        if top is None or top <= 0:
            return _bounded(ZERO, maximum)
        points = min(max(number, ZERO) / top, Decimal(1)) * maximum
    elif method == TIERED:
        points = ZERO
        for tier in params.get("tiers") or ():
            threshold, earned = _number(tier.get("from")), _number(tier.get("points"))
            if threshold is not None and earned is not None and number >= threshold:
                points = max(points, earned)
    elif method == CAPPED_COUNT:
        per_item = _number(params.get("per_item")) or ZERO
        cap = _number(params.get("cap"))
        points = max(number, ZERO).to_integral_value(rounding="ROUND_FLOOR") * per_item
        if cap is not None:
            points = min(points, cap)
    else:
        raise ValueError(f"unknown scoring method {method!r}")
    return _bounded(points, maximum)


def problems(method: str, params: Mapping[str, Any], maximum: Any) -> list[str]:
    """What is wrong with an indicator's method and parameters, in words for the
    drafter; empty when it can be scored."""
    if method not in METHODS:
        return [_("Unknown scoring method “%(method)s”.") % {"method": method}]
    top = _number(maximum)
    if top is None or top <= 0:
        return [_("The maximum points must be a number above 0.")]
    found: list[str] = []
    unknown = sorted(set(params) - PARAMETERS[method])
    if unknown:
        found.append(
            _("Parameters this scoring method does not take: %(keys)s.")
            % {"keys": ", ".join(unknown)}
        )

    def within(key: str, label: str, *, required: bool = True) -> Decimal | None:
        number = _number(params.get(key))
        if number is None:
            if required:
                found.append(_("Give %(what)s.") % {"what": label})
            return None
        if not ZERO < number <= top:
            found.append(
                _("%(what)s must be above 0 and at most the maximum points (%(max)s).")
                % {"what": label, "max": top}
            )
        return number

    if method == YES_NO:
        within("points", _("the points for yes"))
    elif method == CAPPED_COUNT:
        within("per_item", _("the points per item"))
        within("cap", _("the cap"))
    elif method == TIERED:
        tiers = params.get("tiers")
        if not isinstance(tiers, list) or not tiers:
            return [*found, _("Give at least one tier: a threshold and its points.")]
        previous: tuple[Decimal, Decimal] | None = None
        for tier in tiers:
            threshold = _number(tier.get("from")) if isinstance(tier, Mapping) else None
            earned = _number(tier.get("points")) if isinstance(tier, Mapping) else None
            if threshold is None or earned is None or threshold < 0:
                found.append(_("Each tier needs a threshold (0 or more) and its points."))
                return found
            if not ZERO <= earned <= top:
                found.append(
                    _("A tier's points must be from 0 to the maximum points (%(max)s).")
                    % {"max": top}
                )
            if previous and (threshold <= previous[0] or earned < previous[1]):
                found.append(
                    _("Tiers go from the lowest threshold up, and a higher tier never earns less.")
                )
            previous = (threshold, earned)
    return found


# --- Grades -----------------------------------------------------------------------------

GOOD, FAIR, AVERAGE, POOR = "good", "fair", "average", "poor"
GRADES = {
    GOOD: gettext_lazy("Good"),
    FAIR: gettext_lazy("Fair"),
    AVERAGE: gettext_lazy("Average"),
    POOR: gettext_lazy("Poor"),
}


def band_problems(bands: list[Mapping[str, Any]], total: Any) -> list[str]:
    """The grade bands must name the four grades once each, best first, with lower bounds
    strictly descending from at most the total points down to 0 for the lowest grade, so
    that every score from 0 to the total has exactly one grade."""
    top = _number(total)
    grades = [b.get("grade") for b in bands]
    if grades != list(GRADES):
        return [_("The grade bands are, in this order: good, fair, average, poor.")]
    lows = [_number(b.get("from")) for b in bands]
    if any(low is None for low in lows):
        return [_("Give the lower bound of every grade.")]
    found = []
    if any(a <= b for a, b in zip(lows, lows[1:], strict=False)):
        found.append(_("The lower bounds must go down from the best grade to the lowest."))
    if lows[-1] != 0:
        found.append(_("The lowest grade must start at 0, so that every score has a grade."))
    if top is not None and lows[0] > top:
        found.append(
            _("The best grade cannot start above the total points (%(total)s).") % {"total": top}
        )
    return found


def grade(points: Any, bands: list[Mapping[str, Any]]) -> str:
    """The grade of a total: the first band, best first, whose lower bound it reaches.
    A total is compared as rounded (two decimals), so 84.995 counts as 85.00."""
    total = (_number(points) or ZERO).quantize(CENT, rounding=ROUND_HALF_UP)
    for band in bands:
        if total >= _number(band["from"]):
            return band["grade"]
    return bands[-1]["grade"]
