"""Values the product already knows, prefilled into each unit's self-assessment when the
cycle opens, and marked as such. Which indicator takes which figure is data: the setting
EVALUATION_PREFILL maps an indicator code of the criteria set to a source below (the
default fits the demo criteria, reporting/demo/criteria.yaml). A source without data
(no standard in force, no training app installed) gives None: "no data", never 0.

Every source is computed for all units at once: a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from organisation.models import Person
from reporting import sources
from workflows.models import AuditEvent

COMPETENCY = "competency_share"
PRODUCT_USE = "product_use_share"
TRAINING = "training_people"
DIGITISATION = "digitised_documents"

SOURCES = {
    COMPETENCY: _("Share of staff meeting the competency standard (standards)"),
    PRODUCT_USE: _("Share of staff who used the product in the year (audit trail)"),
    TRAINING: _("People trained in IT in the year (training)"),
    DIGITISATION: _("Documents digitised in the year (digitisation)"),
}

DEFAULT_MAP = {"3.1": COMPETENCY, "2.4": PRODUCT_USE, "3.3": TRAINING}


def mapping() -> dict[str, str]:
    return getattr(settings, "EVALUATION_PREFILL", DEFAULT_MAP)


def _share(part: int, whole: int) -> Decimal | None:
    return None if not whole else (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"))


def competency(unit_ids: Iterable[int]) -> dict[int, Decimal | None]:
    from standards import selectors

    summary = selectors.units_summary()
    by_unit = {s.unit.pk: s.totals for s in summary if s.unit is not None}
    return {
        uid: (_share(by_unit[uid].compliant, by_unit[uid].subject) if uid in by_unit else None)
        for uid in unit_ids
    }


def product_use(unit_ids: Iterable[int], year: int) -> dict[int, Decimal | None]:
    """Active staff who signed in or acted at least once in the year, over all active
    staff: 2 queries."""
    unit_ids = list(unit_ids)
    start = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
    end = dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC)
    people = dict(
        Person.objects.filter(is_active=True, unit_id__in=unit_ids)
        .values("unit_id")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "n")
    )
    users = AuditEvent.objects.filter(created_at__gte=start, created_at__lt=end).values("actor_id")
    active = dict(
        Person.objects.filter(is_active=True, unit_id__in=unit_ids)
        .values("unit_id")
        .annotate(n=Count("pk", filter=Q(pk__in=users)))
        .values_list("unit_id", "n")
    )
    return {uid: _share(active.get(uid, 0), people.get(uid, 0)) for uid in unit_ids}


def _figure(name: str, key: str, unit_ids: list[int], year: int) -> dict[int, Decimal | None]:
    found = sources.figures(
        name, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31), unit_ids=unit_ids
    )
    if found is None:
        return dict.fromkeys(unit_ids)
    return {
        uid: (Decimal(found[uid][key]) if key in found.get(uid, {}) else None) for uid in unit_ids
    }


def values(unit_ids: Iterable[int], year: int) -> dict[str, dict[int, Decimal | None]]:
    """{source: {unit id: value or None}} for the sources the mapping uses."""
    unit_ids = list(unit_ids)
    wanted = set(mapping().values())
    found: dict[str, dict[int, Decimal | None]] = {}
    if COMPETENCY in wanted:
        found[COMPETENCY] = competency(unit_ids)
    if PRODUCT_USE in wanted:
        found[PRODUCT_USE] = product_use(unit_ids, year)
    if TRAINING in wanted:
        found[TRAINING] = _figure(sources.TRAINING_BY_UNIT, "people_trained", unit_ids, year)
    if DIGITISATION in wanted:
        found[DIGITISATION] = _figure(sources.DIGITISATION_BY_UNIT, "documents", unit_ids, year)
    return found
