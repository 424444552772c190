"""The signature authority this app registers with the engine (workflows.hooks): whether
this signer may sign this kind now, and, once issued, which delegation allowed it. Kept
apart from services.py, which itself builds on the engine."""

from __future__ import annotations

import datetime as dt

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows import hooks
from workflows.exceptions import ActionForbidden, WorkflowError

from . import selectors
from .models import DelegatedSignature, Delegation


class NoDelegationInForce(WorkflowError, ActionForbidden):
    """A Vice-Minister without a delegation in force for the kind: a missing permission
    (403, recorded as a refusal), said in words on the document's page."""

    status = 403
    default_message = gettext_lazy(
        "You sign on the Minister's behalf only under a delegation of signature in force "
        "for this kind of document, and none is in force now. Nothing was saved."
    )


def _when(moment: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _day(day: dt.date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def refusal_message(person, kind: str, at: dt.datetime) -> str:
    """Why the person may not sign `kind` at `at`, naming the delegation they last had
    for it (revoked, ended or not yet begun), in the reader's language."""
    last = next(
        (
            d
            for d in Delegation.objects.filter(delegate_id=person.pk).order_by("-pk")
            if d.covers(kind)
        ),
        None,
    )
    if last is None:
        return str(NoDelegationInForce.default_message)
    shown = {"decision": last.decision_reference}
    state = selectors.delegation_state(last, at)
    if state == "revoked":
        shown["when"] = _when(last.revoked_at)
        reason = _("Your delegation (%(decision)s) was revoked at %(when)s.") % shown
    elif state == "ended":
        shown["day"] = _day(last.ends_on)
        reason = _("Your delegation (%(decision)s) ended at the end of %(day)s.") % shown
    else:
        shown["day"] = _day(last.starts_on)
        reason = _("Your delegation (%(decision)s) starts only on %(day)s.") % shown
    return " ".join(
        [
            reason,
            _("You can no longer sign this document on the Minister's behalf."),
            _("Nothing was saved."),
        ]
    )


def signing_delegation(*, user, kind: str) -> Delegation | None:
    """None when the signer signs in their own right (the Minister); else the delegation
    in force now that lets them sign, locked for the caller's transaction. Raises
    NoDelegationInForce when there is none."""
    if not selectors.needs_delegation(user):
        return None
    delegation = selectors.delegation_in_force(user, kind, lock=True)
    if delegation is None:
        raise NoDelegationInForce(refusal_message(user, kind, timezone.now()))
    return delegation


def signature_keep(*, document, delegation: Delegation) -> DelegatedSignature:
    """Inside the issuing transaction: the issued record keeps the delegation."""
    return DelegatedSignature.objects.create(document=document, delegation=delegation)


def notice(user, document) -> dict:
    """For the sign page: whether this signer needs a delegation, and the one in force
    now for the document's kind (None: they cannot sign it, only return it)."""
    needed = selectors.needs_delegation(user)
    delegation = selectors.delegation_in_force(user, document.kind) if needed else None
    return {
        "delegation_needed": needed,
        "delegation": delegation,
        "signature_notice_template": "delegation/sign_notice.html" if needed else None,
        "signature_blocked": needed and delegation is None,
    }


class DelegationAuthority(hooks.SignatureAuthority):
    """A Vice-Minister signs only under a delegation in force for the kind; the issued
    document and its audit entry keep that delegation."""

    def grant(self, *, user, kind: str) -> Delegation | None:
        return signing_delegation(user=user, kind=kind)

    def keep(self, *, document, grant: Delegation) -> None:
        signature_keep(document=document, delegation=grant)

    def audit_data(self, grant: Delegation) -> dict:
        return {"delegation": grant.pk, "decision_reference": grant.decision_reference}

    def notice(self, user, document) -> dict:
        return notice(user, document)


AUTHORITY = DelegationAuthority()
