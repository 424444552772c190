"""Keyset pagination for lists that grow without bound (the audit trail at millions of
events): each page continues from the key of the last row shown (`seq < 41235`) instead
of an OFFSET, so page 20,000 costs what page 1 costs, and no page needs a COUNT over the
whole table. Links carry an opaque token: the key of the row to continue from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

OLDER, NEWER = "older", "newer"


@dataclass
class KeysetPage:
    object_list: list[Any]
    older: str | None = None  # token of the next page down the list, None at the end
    newer: str | None = None  # token of the page before, None on the first page
    count: int | None = None
    count_is_lower_bound: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def __getitem__(self, index):
        return self.object_list[index]


def _encode(row, keys: tuple[str, ...]) -> str:
    parts = []
    for key in keys:
        value = getattr(row, key)
        parts.append(value.isoformat() if isinstance(value, dt.datetime) else str(value))
    return "~".join(parts)


def _decode(token: str, keys: tuple[str, ...], queryset: QuerySet) -> tuple | None:
    """The key values of a token, or None when it is not one (altered, truncated): the
    list then starts again from the top rather than fail."""
    parts = token.split("~")
    if len(parts) != len(keys):
        return None
    values = []
    for key, part in zip(keys, parts, strict=True):
        model_field = queryset.model._meta.get_field(key)
        try:
            value = model_field.to_python(part)
        except Exception:  # noqa: BLE001 - any malformed token means "from the top"
            return None
        if value is None or (isinstance(value, int) and not -(2**63) <= value < 2**63):
            return None  # beyond any stored key: PostgreSQL would refuse the number
        values.append(value)
    return tuple(values)


def _beyond(keys: tuple[str, ...], values: tuple, lookup: str) -> Q:
    """Rows strictly past `values` in the order of `keys` (lexicographic)."""
    condition = Q()
    for i, key in enumerate(keys):
        step = Q(**{f"{key}__{lookup}": values[i]})
        for earlier, value in zip(keys[:i], values[:i], strict=True):
            step &= Q(**{earlier: value})
        condition |= step
    return condition


def keyset_page(
    queryset: QuerySet,
    *,
    keys: tuple[str, ...],
    older: str | None = None,
    newer: str | None = None,
    size: int = 50,
) -> KeysetPage:
    """A page of `queryset` in descending order of `keys` (unique together, indexed),
    continuing below the `older` token or above the `newer` one."""
    descending = [f"-{k}" for k in keys]
    ascending = list(keys)
    after = _decode(older, keys, queryset) if older else None
    before = _decode(newer, keys, queryset) if newer and not after else None
    if before is not None:
        rows = list(queryset.filter(_beyond(keys, before, "gt")).order_by(*ascending)[: size + 1])
        has_newer = len(rows) > size
        rows = rows[:size][::-1]
        has_older = True
    else:
        base = queryset.filter(_beyond(keys, after, "lt")) if after is not None else queryset
        rows = list(base.order_by(*descending)[: size + 1])
        has_older = len(rows) > size
        rows = rows[:size]
        has_newer = after is not None
    return KeysetPage(
        object_list=rows,
        older=_encode(rows[-1], keys) if rows and has_older else None,
        newer=_encode(rows[0], keys) if rows and has_newer else None,
    )


def capped_count(queryset: QuerySet, cap: int) -> tuple[int, bool]:
    """How many rows, counting no further than `cap`: (count, whether there are more)."""
    found = queryset.order_by()[: cap + 1].count()
    return min(found, cap), found > cap
