"""Who acts for whom today. Every reader asks these functions, with the day in Vietnam,
so a leave is in force exactly on its days: when it ends, the absentee's tasks and mail
are theirs again at once, even before the closing job (leave.tasks) has run."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from organisation.selectors import permission_q
from workflows import hooks
from worktime.calendar import today

from .models import Leave

# How far a chain of substitutes is followed for mail (A on leave to B, B on leave to
# C...): loops are refused when recorded, this only bounds a corrupt table.
MAX_CHAIN = 10


def _day(day: dt.date | None) -> dt.date:
    return day or today()


def task_permissions(person) -> set[str]:
    """The permissions of the document kinds that give a person tasks of a unit's pool
    (drafting, reviewing). Signing is left out: the Minister's signature passes only
    through a delegation, never through a substitute."""
    return {p for p in _pool_permissions(signing=False) if person.has_perm(p)}


def signs(person) -> bool:
    from workflows import kinds

    return any(person.has_perm(k.sign_permission) for k in kinds.all_kinds())


def covered_people(user, day: dt.date | None = None) -> QuerySet:
    """The ids of the people whose taken tasks `user` holds today, as a subquery (no
    query of its own: it becomes part of the caller's query)."""
    return (
        Leave.objects.in_force_on(_day(day))
        .filter(substitute_id=user.pk, hand_over=True)
        .values("person_id")
    )


def substituting(user, person_id: int | None, day: dt.date | None = None) -> Leave | None:
    """The leave in force under which `user` holds the tasks `person_id` has taken."""
    if not person_id or person_id == user.pk:
        return None
    return (
        Leave.objects.in_force_on(_day(day))
        .filter(substitute_id=user.pk, person_id=person_id, hand_over=True)
        .select_related("person")
        .first()
    )


def acting_for(person, day: dt.date | None = None):
    """Who receives what is addressed to `person` on `day`: their substitute (and that
    one's, if also away), or the person themselves."""
    return recipients([person], day)[0]


def acting_map(people: Iterable, day: dt.date | None = None) -> dict[int, Any]:
    """For each of `people` (by pk), who receives what is addressed to them on `day`:
    their substitute (and that one's, if also away), or themselves. One query per link
    of the longest chain (one when nobody is away), however many people are asked."""
    day = _day(day)
    people = list(people)
    final = {p.pk: p for p in people}
    pending = {p.pk: p.pk for p in people}  # original person -> current holder
    for _step in range(MAX_CHAIN):
        if not pending:
            break
        away = dict(
            Leave.objects.in_force_on(day)
            .filter(person_id__in=set(pending.values()), substitute__is_active=True)
            .values_list("person_id", "substitute_id")
        )
        if not away:
            break
        moved = {orig: away[cur] for orig, cur in pending.items() if cur in away}
        if not moved:
            break
        subs = get_user_model().objects.in_bulk(set(moved.values()))
        for orig, sub_id in moved.items():
            final[orig] = subs[sub_id]
        pending = moved
    return final


def recipients(people: Iterable, day: dt.date | None = None) -> list:
    """`people` with everyone on leave replaced by who acts for them, without
    duplicates, in the given order."""
    people = list(people)
    return hooks.held_by([p.pk for p in people], acting_map(people, day))


class LeaveSubstitution(hooks.Substitution):
    """The substitution this app registers with the engine (workflows.hooks): a leave in
    force today hands the absentee's taken tasks and mail to their substitute."""

    def covered_people(self, user) -> QuerySet:
        return covered_people(user)

    def substituting(self, user, person_id: int | None):
        leave = substituting(user, person_id)
        return leave.person if leave else None

    def acting_map(self, people: Iterable) -> dict[int, Any]:
        return acting_map(people)

    def acting_for(self, person):
        return acting_for(person)


SUBSTITUTION = LeaveSubstitution()


# --- Who manages whose leave ----------------------------------------------------------


def is_administrator(user) -> bool:
    return user.is_superuser or user.has_perm("organisation.change_person")


def headed_unit_ids(user) -> list[int]:
    from organisation.selectors import headed_unit_ids as headed

    return sorted(headed(user))


def may_record_own(user) -> bool:
    """Only a person who holds tasks has any to hand over (a signer only to hear that
    signing passes through a delegation instead)."""
    return bool(user.is_authenticated and (task_permissions(user) or signs(user)))


def manageable_people(user) -> QuerySet:
    """The people whose leave `user` may record or cancel: themselves, the staff of the
    unit they head, everyone for an administrator."""
    people = get_user_model().objects.filter(is_active=True).select_related("unit")
    if is_administrator(user):
        return people
    q = Q(pk=user.pk) if may_record_own(user) else Q(pk__in=[])
    units = headed_unit_ids(user)
    if units:
        q |= Q(unit_id__in=units)
    return people.filter(q)


def may_see_leave_pages(user) -> bool:
    return may_record_own(user) or is_administrator(user) or bool(headed_unit_ids(user))


def _pool_permissions(*, signing: bool) -> set[str]:
    from workflows import kinds

    perms = set()
    for kind in kinds.all_kinds():
        perms |= {kind.draft_permission, kind.review_permission}
        if signing:
            perms.add(kind.sign_permission)
    return perms


def holding_tasks(people: QuerySet, *, signing: bool = False) -> QuerySet:
    """Those of `people` who hold a pool role (and, with `signing`, those who sign), in
    one query however many people there are."""
    q = Q(pk__in=[])
    for permission in _pool_permissions(signing=signing):
        q |= permission_q(permission)
    return people.filter(q).distinct()


def eligible_substitutes(person) -> list:
    """Colleagues of the same unit who hold every pool role the person holds."""
    needed = task_permissions(person)
    if not needed or not person.unit_id:
        return []
    colleagues = holding_tasks(
        get_user_model()
        .objects.filter(unit_id=person.unit_id, is_active=True)
        .exclude(pk=person.pk)
        .select_related("unit")
    )
    return [c for c in colleagues if needed <= task_permissions(c)]


def leaves_of(people_q: Q) -> QuerySet[Leave]:
    return Leave.objects.filter(people_q).select_related(
        "person__unit", "substitute", "recorded_by", "cancelled_by"
    )


def my_leaves(user) -> QuerySet[Leave]:
    return leaves_of(Q(person_id=user.pk) | Q(substitute_id=user.pk))


def unit_leaves(user) -> QuerySet[Leave]:
    if is_administrator(user):
        return leaves_of(Q())
    return leaves_of(Q(person__unit_id__in=headed_unit_ids(user)))


def leave_in_scope(user, leave_id) -> Leave | None:
    try:
        leave_id = int(leave_id)
    except (TypeError, ValueError):
        return None
    leave = Leave.objects.select_related("person").filter(pk=leave_id).first()
    if leave is None or not manageable_people(user).filter(pk=leave.person_id).exists():
        return None
    return leave


def loop_through(person_id: int, substitute_id: int, starts_on, ends_on) -> bool:
    """Whether a substitution of `substitute_id` for `person_id` over these days would
    close a loop: following substitutes from the substitute leads back to the person on
    some day that all the leaves in the chain share."""
    edges: dict[int, list[tuple[int, dt.date, dt.date]]] = {}
    for p, s, a, b in Leave.objects.overlapping(starts_on, ends_on).values_list(
        "person_id", "substitute_id", "starts_on", "ends_on"
    ):
        edges.setdefault(p, []).append((s, a, b))
    stack = [(substitute_id, starts_on, ends_on, {substitute_id})]
    while stack:
        at, lo, hi, path = stack.pop()
        if at == person_id:
            return True
        for nxt, a, b in edges.get(at, ()):
            new_lo, new_hi = max(lo, a), min(hi, b)
            if new_lo <= new_hi and (nxt == person_id or nxt not in path):
                stack.append((nxt, new_lo, new_hi, path | {nxt}))
    return False
