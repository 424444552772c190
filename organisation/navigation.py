"""The main menu. Apps add their entries in `AppConfig.ready()`; each entry says who
may see it, so a person's menu shows only what their roles may use."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class NavItem:
    key: str
    url_name: str
    label: str | Promise
    visible: Callable[[object], bool]
    order: int = 100


_ITEMS: dict[str, NavItem] = {}


def register(item: NavItem) -> None:
    _ITEMS[item.key] = item


def has_any_perm(*perms: str) -> Callable[[object], bool]:
    return lambda user: any(user.has_perm(p) for p in perms)


def items_for(user) -> list[dict]:
    return [
        {"key": item.key, "url": reverse(item.url_name), "label": item.label}
        for item in sorted(_ITEMS.values(), key=lambda i: (i.order, i.key))
        if item.visible(user)
    ]


# Counters for the inbox badge in the header; the workflow engine registers one.
_INBOX_COUNTERS: list[Callable[[object], int]] = []


def register_inbox_counter(counter: Callable[[object], int]) -> None:
    if counter not in _INBOX_COUNTERS:
        _INBOX_COUNTERS.append(counter)


# Counters of the overdue part of the inbox, shown as a badge of its own.
_OVERDUE_COUNTERS: list[Callable[[object], int]] = []


def register_overdue_counter(counter: Callable[[object], int]) -> None:
    if counter not in _OVERDUE_COUNTERS:
        _OVERDUE_COUNTERS.append(counter)


def _has_inbox(user) -> bool:
    return any(i.key == "my_work" and i.visible(user) for i in _ITEMS.values())


def inbox_count(user) -> int | None:
    """None when the person has no "My work" (nothing to count), else their open tasks."""
    if not _INBOX_COUNTERS or not _has_inbox(user):
        return None
    return sum(counter(user) for counter in _INBOX_COUNTERS)


def inbox_overdue_count(user) -> int | None:
    """Of those, how many are overdue (None without a "My work"): one query per counter."""
    if not _OVERDUE_COUNTERS or not _has_inbox(user):
        return None
    return sum(counter(user) for counter in _OVERDUE_COUNTERS)
