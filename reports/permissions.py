"""Who sees the periodic reports, and how much of them.

- the leaders (`organisation.sign_documents`: Minister, Vice-Ministers), the Council
  (`organisation.view_it_reports`) and the Centre see every unit's part of a sent report;
- the Centre reviews, comments on and sends the drafts: `organisation.run_it_evaluation`
  (the Centre drafter's capability for the IT-application evaluation, of which these
  reports are the running record; `draft_it_plans` is about plans). Only the Centre sees
  a draft: to anyone else a draft does not exist yet (404);
- a unit's head (Unit.head) sees its own unit's part (its row and its people) of a sent
  report, nothing of the other units;
- everyone else: 403.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

CENTRE_PERMISSION = "organisation.run_it_evaluation"
LEADER_PERMISSION = "organisation.sign_documents"
COUNCIL_PERMISSION = "organisation.view_it_reports"


def may_review(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm(CENTRE_PERMISSION)


def sees_all_reports(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return any(user.has_perm(p) for p in (LEADER_PERMISSION, COUNCIL_PERMISSION, CENTRE_PERMISSION))


def may_open_reports(user) -> bool:
    """Whether `user` sees any report at all (the menu entry, the list): those who see
    every unit's part, and the heads of units (the units they head are read once per
    request, organisation.selectors.headed_unit_ids, which other menus ask too)."""
    if sees_all_reports(user):
        return True
    if not user.is_authenticated or not user.is_active:
        return False
    from organisation.selectors import headed_unit_ids

    return bool(headed_unit_ids(user))


@dataclass(frozen=True)
class Scope:
    """What of the reports `user` sees: every unit (unit_ids None) or those listed."""

    unit_ids: frozenset[int] | None
    reviewer: bool

    def covers(self, unit_id) -> bool:
        return self.unit_ids is None or unit_id in self.unit_ids


def scope_for(user) -> Scope:
    """Raises PermissionDenied for someone who sees no report at all (one query for a
    person who sees not all of them: the units they head)."""
    if sees_all_reports(user):
        return Scope(None, may_review(user))
    if user.is_authenticated and user.is_active:
        from organisation.selectors import headed_unit_ids

        headed = headed_unit_ids(user)
        if headed:
            return Scope(headed, False)
    raise PermissionDenied


def check_visible(scope: Scope, report) -> None:
    """A draft exists only for the Centre (404 for the others)."""
    if not report.is_sent and not scope.reviewer:
        raise Http404
