"""Money as people read it. Amounts are stored, snapshotted and signed in whole đồng; a
page shows them in the unit the person chose (đồng or triệu đồng, kept in the session by
MoneyUnitMiddleware), and every header, total and warning names that unit through this
module, so no figure can sit under a label of the other unit and be read a million
times off. Everything here only formats: nothing converted is ever stored.

Separators come from the locale formats (config/formats/): whole đồng keep '.' between
thousands in both languages (the house style of Vietnamese state documents, and what the
inputs accept); amounts in millions carry decimals and follow the reader's language, as
MILLION_DECIMAL_SEPARATOR and MILLION_THOUSAND_SEPARATOR say: 1.234,5 in Vietnamese,
1,234.5 in English (where '.' is the decimal point, thousands take ',' so that neither
reading is ambiguous). Millions are exact — up to six decimals, trailing zeros dropped —
so a displayed line never rounds to 0 and the lines still add up to the displayed total.
"""

from __future__ import annotations

import contextlib
import contextvars
from decimal import Decimal

from django.utils import formats, numberformat
from django.utils.translation import gettext, gettext_lazy

DONG = "dong"
MILLION = "million"
UNITS = (DONG, MILLION)

_LABELS = {DONG: gettext_lazy("đồng"), MILLION: gettext_lazy("million đồng")}

# The unit in effect for the current request (MoneyUnitMiddleware), or for an issued
# document's print view (the unit it was issued in).
MONEY_UNIT: contextvars.ContextVar[str] = contextvars.ContextVar("money_unit", default=DONG)


def clean_unit(unit: object) -> str | None:
    """`unit` if it names a unit, else None: for values from a query string or a session."""
    return unit if isinstance(unit, str) and unit in UNITS else None


def active_unit() -> str:
    return MONEY_UNIT.get()


@contextlib.contextmanager
def money_unit(unit: str):
    token = MONEY_UNIT.set(clean_unit(unit) or DONG)
    try:
        yield
    finally:
        MONEY_UNIT.reset(token)


def amount(value: int, unit: str | None = None) -> str:
    """The figure alone (for a cell under a header that names the unit)."""
    if (unit or active_unit()) == MILLION:
        decimal = _separator("MILLION_DECIMAL_SEPARATOR", "DECIMAL_SEPARATOR")
        text = numberformat.format(
            Decimal(int(value)) / 1_000_000,
            decimal,
            6,
            formats.get_format("NUMBER_GROUPING"),
            _separator("MILLION_THOUSAND_SEPARATOR", "THOUSAND_SEPARATOR"),
            force_grouping=True,
        )
        return text.rstrip("0").rstrip(decimal)
    return formats.number_format(int(value), force_grouping=True)


def _separator(name: str, fallback: str) -> str:
    """The locale's separator for millions; Django's own one where a locale (or no active
    language at all) does not define it — get_format then answers with the name itself."""
    value = formats.get_format(name)
    return formats.get_format(fallback) if value == name else value


def unit_label(unit: str | None = None) -> str:
    """'đồng' or 'triệu đồng' ('million đồng' in English)."""
    return str(_LABELS[unit or active_unit()])


def with_unit(value: int, unit: str | None = None) -> str:
    """The figure and its unit, for running text: '1,5 triệu đồng'."""
    return gettext("%(amount)s %(unit)s") % {
        "amount": amount(value, unit),
        "unit": unit_label(unit),
    }


def header(label, unit: str | None = None) -> str:
    """A column or line label with the unit its figures are in: 'Thành tiền (triệu đồng)'."""
    return gettext("%(label)s (%(unit)s)") % {"label": label, "unit": unit_label(unit)}
