"""Who sees whose score: everyone their own; the head of a unit (Unit.head) the unit's
people; the Council (view_it_reports) everyone. A person with neither right lacks the
permission (403); a head asking for another unit's person is out of scope (404)."""

from __future__ import annotations

from organisation.models import Person, Unit

COUNCIL_PERMISSION = "organisation.view_it_reports"


def can_see_everyone(user) -> bool:
    return user.has_perm(COUNCIL_PERMISSION)


def headed_unit_ids(user) -> frozenset[int]:
    from organisation.selectors import headed_unit_ids as headed

    return headed(user)


def can_see_others(user) -> bool:
    return can_see_everyone(user) or bool(headed_unit_ids(user))


def can_see_unit(user, unit: Unit) -> bool:
    return can_see_everyone(user) or unit.pk in headed_unit_ids(user)


def can_see_person(user, person: Person) -> bool:
    if person.pk == user.pk or can_see_everyone(user):
        return True
    return person.unit_id is not None and person.unit_id in headed_unit_ids(user)
