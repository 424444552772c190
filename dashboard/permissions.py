"""Who sees where documents wait: the figures cover every unit's documents, so only
those who steer the whole flow see them.

- leaders: anyone who may sign (`organisation.sign_documents`: Minister, Vice-Ministers);
- the Office: `organisation.register_documents` (the clerk who follows up on units);
- the Centre: the drafters of the Information Centre (unit TTTT, which drafts the IT
  plans: `organisation.draft_it_plans`), who run the product for the Committee.

Everyone else gets 403. The rule uses existing permissions, so the admin grants it by
giving a role, not by a new checkbox.
"""

from __future__ import annotations

CENTRE_UNIT = "TTTT"
CENTRE_PERMISSION = "organisation.draft_it_plans"
LEADER_PERMISSION = "organisation.sign_documents"
OFFICE_PERMISSION = "organisation.register_documents"


def can_view_dashboard(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.has_perm(LEADER_PERMISSION) or user.has_perm(OFFICE_PERMISSION):
        return True
    unit = user.unit if user.unit_id else None
    return unit is not None and unit.code == CENTRE_UNIT and user.has_perm(CENTRE_PERMISSION)
