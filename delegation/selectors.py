"""Which delegation lets a Vice-Minister sign a kind of document at a moment, and who may
see and keep the register of delegations."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import Permission
from django.db.models import Q, QuerySet
from django.utils import timezone

from organisation.models import Person
from worktime.calendar import today

from .models import Delegation

SIGN = "organisation.sign_documents"
SIGN_ON_DELEGATION = "organisation.sign_on_delegation"
RECORD = "organisation.record_delegations"
# Besides those who sign or record: the Office keeps the register of issued documents,
# the inspectors read everything.
READ = (SIGN, RECORD, "organisation.register_documents", "organisation.view_audit_trail")


def needs_delegation(user) -> bool:
    """A signer who signs on the Minister's behalf (a Vice-Minister) needs a delegation in
    force; the Minister signs in their own right."""
    return user.has_perm(SIGN_ON_DELEGATION)


def signs_in_own_right(user) -> bool:
    return user.has_perm(SIGN) and not needs_delegation(user)


def can_view_register(user) -> bool:
    return user.is_authenticated and any(user.has_perm(p) for p in READ)


def can_record(user) -> bool:
    return user.is_authenticated and user.has_perm(RECORD)


def in_force_q(at: dt.datetime | None = None) -> Q:
    """Delegations in force at `at` (now): its Vietnamese day within the period, and not
    revoked by then. Now means not revoked at all, so a revocation committed while a
    signature waited for its lock counts, whatever the two clocks said."""
    day = today(at)
    not_revoked = Q(revoked_at__isnull=True)
    if at is not None:
        not_revoked |= Q(revoked_at__gt=at)
    return Q(starts_on__lte=day, ends_on__gte=day) & not_revoked


def delegation_in_force(
    person, kind: str, at: dt.datetime | None = None, *, lock: bool = False
) -> Delegation | None:
    """The delegation that lets `person` sign a document of `kind` now (or at `at`), the
    one recorded last if several do. With `lock`, the delegations are locked until the
    caller's transaction ends, so a revocation waits for a signature in progress or the
    signature sees the revocation."""
    rows = Delegation.objects.filter(in_force_q(at), delegate_id=person.pk).order_by("-pk")
    if lock:
        rows = rows.select_for_update()
    return next((d for d in rows if d.covers(kind)), None)


def delegation_state(delegation: Delegation, at: dt.datetime | None = None) -> str:
    """revoked | ended | in_force | upcoming, as the register shows it."""
    at = at or timezone.now()
    day = today(at)
    if delegation.revoked_at is not None and delegation.revoked_at <= at:
        return "revoked"
    if delegation.ends_on < day:
        return "ended"
    if delegation.starts_on > day:
        return "upcoming"
    return "in_force"


def register_rows() -> QuerySet[Delegation]:
    return Delegation.objects.select_related("delegate", "recorded_by", "revoked_by").order_by(
        "-starts_on", "-pk"
    )


def vice_ministers() -> QuerySet[Person]:
    """The active people who sign on the Minister's behalf, whoever gave them that
    permission (their role or the admin)."""
    app_label, codename = SIGN_ON_DELEGATION.split(".")
    perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return (
        Person.objects.filter(is_active=True)
        .filter(Q(groups__permissions__in=perm) | Q(user_permissions__in=perm))
        .distinct()
        .order_by("sort_key", "username")
    )


def signature_delegation(document) -> Delegation | None:
    """The delegation a document was signed under, if it was signed "KT."."""
    from .models import DelegatedSignature

    row = DelegatedSignature.objects.select_related("delegation").filter(document=document).first()
    return row.delegation if row else None
