"""Who may see which document: one rule, used as a queryset filter by lists and as a
single check by services and views (outside it: 404)."""

from __future__ import annotations

from django.db.models import Q

from . import kinds
from .models import State

ISSUED_STATES = (State.ISSUED, State.SUPERSEDED)


def scope_q(user) -> Q:
    """The documents `user` may see, as a filter on Document."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.has_perm("organisation.view_audit_trail"):
        return Q()
    q = Q(pk__in=[])
    for kind in kinds.all_kinds():
        of_kind = Q(kind=kind.code)
        if user.has_perm(kind.draft_permission) and user.unit_id:
            q |= of_kind & Q(drafting_unit_id=user.unit_id)
        if user.has_perm(kind.review_permission) and user.unit_id:
            q |= of_kind & Q(reviewing_unit_id=user.unit_id, revision_count__gt=0)
        if user.has_perm(kind.sign_permission):
            q |= of_kind & Q(revision_count__gt=0)
    if user.has_perm("organisation.register_documents"):
        # The Office follows up on documents in progress (followup app): it reads every
        # document submitted at least once, and acts on none.
        q |= Q(revision_count__gt=0)
    if user.has_perm("organisation.view_it_reports"):
        q |= Q(state__in=ISSUED_STATES)
    return q


# The Office clerk, who with the signers forms "the Minister's office" for due dates.
DUE_DATE_CLERK_PERMISSION = "organisation.register_documents"


def may_set_due_date(user, document) -> bool:
    """Who may move a due date afterwards, later as well as earlier: the Minister's
    office, i.e. the signers of the kind (Minister, Vice-Ministers) and the Office clerk,
    on the documents in their scope (scope_q; outside it, 404 as everywhere)."""
    return user.has_perm(document.kind_config.sign_permission) or user.has_perm(
        DUE_DATE_CLERK_PERMISSION
    )


def can_view(user, document) -> bool:
    from .models import Document

    return Document.objects.filter(scope_q(user), pk=document.pk).exists()


def can_edit(user, document) -> bool:
    """Editing content: the drafting unit's drafters, only while a draft or returned."""
    kind = document.kind_config
    return (
        document.is_editable
        and user.unit_id == document.drafting_unit_id
        and user.has_perm(kind.draft_permission)
    )


def _roles(user, document) -> dict[str, bool]:
    kind = document.kind_config
    return {
        "drafter": user.unit_id == document.drafting_unit_id
        and user.has_perm(kind.draft_permission),
        "reviewer": user.unit_id == document.reviewing_unit_id
        and user.has_perm(kind.review_permission),
        "signer": user.has_perm(kind.sign_permission),
        "clerk": user.has_perm(kind.issue_permission),
    }


_POOL_OF_STEP = {"draft": "drafter", "review": "reviewer", "sign": "signer", "issue": "clerk"}


def in_pool(user, document, step: str) -> bool:
    """Whether the person is one of those who may hold the step's task: a drafter of the
    drafting unit, a reviewer of the reviewing unit, a signer."""
    role = _POOL_OF_STEP.get(step)
    return bool(role) and _roles(user, document)[role]


def may_act(user, document, action: str) -> bool:
    """Whether the person's role lets them take `action` on this document at some step
    of its flow. False is a 403; whether the document is at that step now is the
    service's next question (409 when it is not)."""
    roles = _roles(user, document)
    return {
        "submit": roles["drafter"],
        "submit_to_signer": roles["drafter"],
        "return": roles["reviewer"] or roles["signer"],
        "endorse": roles["reviewer"],
        "opinion": roles["reviewer"],
        "sign": roles["signer"],
        "issue": roles["clerk"],
        "comment": roles["reviewer"] or roles["signer"],
    }.get(action, False)


def comments_open(document) -> bool:
    """Guidance comments belong to the review: after a submission, before the signature
    (the signed PDF can no longer change)."""
    return document.revision_count > 0 and document.state not in (*ISSUED_STATES, State.SIGNED)


def can_comment(user, document) -> bool:
    return comments_open(document) and may_act(user, document, "comment")
