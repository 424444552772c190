"""Figures other apps produce and the reports and the ranking read (training, digitisation,
competency, use of the product). A producing app registers a provider in its
AppConfig.ready(); readers ask by name. Each figure is therefore computed in one place,
and the reports neither import the producing apps nor compute their figures again.

A provider is called with keyword arguments ``start`` and ``end`` (dates, inclusive) and
``unit_ids`` (an iterable of unit ids, or None for all) or ``person_ids``, and returns a
dict keyed by unit id (or person id) of dicts of named integers, e.g.
``{12: {"people_trained": 4, "modules_gained": 9, "gaps_closed": 3}}``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Provider = Callable[..., Mapping[int, Mapping[str, int]]]

_PROVIDERS: dict[str, Provider] = {}

# The names the contract between the apps uses (see reporting/sources.py's docstring).
TRAINING_BY_UNIT = "training.by_unit"  # people_trained, modules_gained, gaps_closed, courses
TRAINING_BY_PERSON = "training.by_person"  # courses_attended, courses_passed, modules_gained
# The same two course counts alone, in one query (the individual ranking needs no more).
TRAINING_COURSES_BY_PERSON = "training.courses_by_person"  # courses_attended, courses_passed
DIGITISATION_BY_UNIT = "digitisation.by_unit"  # documents, pages, batches_accepted,
# batches_rejected, target_documents, target_pages


def register(name: str, provider: Provider) -> Provider:
    _PROVIDERS[name] = provider
    return provider


def available(name: str) -> bool:
    return name in _PROVIDERS


def figures(name: str, **kwargs: Any) -> Mapping[int, Mapping[str, int]] | None:
    """The provider's figures, or None when no installed app provides them (a report
    then says "no data", never a zero that was not measured)."""
    provider = _PROVIDERS.get(name)
    return None if provider is None else provider(**kwargs)
