"""Recording and revoking delegations of signature, and keeping which delegation a
document was signed under. Every write is an audit event; revoking takes effect at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organisation.models import Person
from workflows import audit, kinds
from workflows import services as engine
from workflows.exceptions import ActionForbidden, AlreadyHandled, InvalidInput, NotInScope
from worktime.calendar import today

from . import selectors
from .models import Delegation

RECORDED = audit.register_action(
    "delegation.delegation.recorded", gettext_lazy("Delegation of signature recorded")
)
REVOKED = audit.register_action(
    "delegation.delegation.revoked", gettext_lazy("Delegation of signature revoked")
)
MAX_REFERENCE = Delegation._meta.get_field("decision_reference").max_length


def _reference(value, *, missing: str, label: str, problems: list[str]) -> str:
    text = " ".join(str(value or "").replace("\x00", "").split())
    if not text and missing:
        problems.append(missing)
    elif len(text) > MAX_REFERENCE:
        problems.append(
            _("%(what)s may be at most %(n)d characters.") % {"what": label, "n": MAX_REFERENCE}
        )
    return text


def _instruction(user, value, problems: list[str]) -> str:
    """The Minister acts in their own right; anyone else who may record (an
    administrator) acts on the Minister's written instruction, whose reference is then
    required."""
    required = not selectors.signs_in_own_right(user)
    return _reference(
        value,
        missing=_("Give the reference of the Minister's written instruction.") if required else "",
        label=_("The instruction's reference"),
        problems=problems,
    )


def _day(d) -> str:
    return formats.date_format(d, "SHORT_DATE_FORMAT")


def _data(delegation: Delegation) -> dict:
    return {
        "delegation": delegation.pk,
        "delegate": delegation.delegate_id,
        "delegate_name": delegation.delegate.display_name,
        "all_kinds": delegation.all_kinds,
        "kinds": list(delegation.kinds),
        "starts_on": delegation.starts_on.isoformat(),
        "ends_on": delegation.ends_on.isoformat(),
        "decision_reference": delegation.decision_reference,
        "instruction_reference": delegation.instruction_reference,
    }


@engine.record_denials
def delegation_record(
    *,
    user,
    delegate_id: int,
    kind_codes: Iterable[str],
    all_kinds: bool,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    decision_reference: str,
    instruction_reference: str = "",
    ip: str | None = None,
) -> Delegation:
    """Let a Vice-Minister sign documents of the given kinds (or every kind) from the
    first day 00:00 to the last day 24:00, Vietnam time. Every problem with the input is
    reported at once, as InvalidInput; nothing is saved then."""
    if not selectors.can_record(user):
        raise ActionForbidden
    problems: list[str] = []
    known = {k.code for k in kinds.all_kinds()}
    codes = [] if all_kinds else sorted({str(c) for c in (kind_codes or [])})
    if not all_kinds and not codes:
        problems.append(_("Choose the kinds of document, or all kinds."))
    unknown = sorted(set(codes) - known)
    if unknown:
        problems.append(
            _("Unknown kinds of document: %(codes)s.") % {"codes": ", ".join(unknown)[:200]}
        )
    if not isinstance(starts_on, dt.date) or not isinstance(ends_on, dt.date):
        problems.append(_("Give the first and the last day, as dd/mm/yyyy."))
    elif ends_on < starts_on:
        problems.append(
            _("The last day (%(end)s) is before the first day (%(start)s).")
            % {"end": _day(ends_on), "start": _day(starts_on)}
        )
    elif ends_on < today():
        problems.append(_("The last day (%(end)s) has already passed.") % {"end": _day(ends_on)})
    decision = _reference(
        decision_reference,
        missing=_("Give the reference of the delegating decision."),
        label=_("The decision's reference"),
        problems=problems,
    )
    instruction = _instruction(user, instruction_reference, problems)

    with transaction.atomic():
        # Locked, so that the person's roles cannot change under the check.
        try:
            delegate = Person.objects.select_for_update().filter(pk=int(delegate_id)).first()
        except (TypeError, ValueError):
            delegate = None
        if delegate is None or not selectors.vice_ministers().filter(pk=delegate.pk).exists():
            problems.insert(0, _("Choose a Vice-Minister: only they sign on delegation."))
        if problems:
            raise InvalidInput(problems=problems)
        delegation = Delegation.objects.create(
            delegate=delegate,
            all_kinds=bool(all_kinds),
            kinds=codes,
            starts_on=starts_on,
            ends_on=ends_on,
            decision_reference=decision,
            instruction_reference=instruction,
            recorded_by=user,
            recorded_at=timezone.now(),
        )
        audit.record(action=RECORDED, actor=user, data=_data(delegation), ip=ip)
    return delegation


@engine.record_denials
def delegation_revoke(
    *,
    user,
    delegation_id: int,
    instruction_reference: str = "",
    ip: str | None = None,
) -> Delegation:
    """End a delegation now: from this moment the Vice-Minister can no longer sign under
    it, even on a sign page already open."""
    if not selectors.can_view_register(user):
        raise NotInScope
    with transaction.atomic():
        try:
            delegation = (
                Delegation.objects.select_for_update(of=("self",))
                .select_related("delegate")
                .filter(pk=int(delegation_id))
                .first()
            )
        except (TypeError, ValueError):
            delegation = None
        if delegation is None:
            raise NotInScope
        if not selectors.can_record(user):
            raise ActionForbidden
        problems: list[str] = []
        instruction = _instruction(user, instruction_reference, problems)
        if problems:
            raise InvalidInput(problems=problems)
        state = selectors.delegation_state(delegation)
        if state == "revoked":
            raise AlreadyHandled(_("This delegation has already been revoked."))
        if state == "ended":
            raise AlreadyHandled(_("This delegation has already ended."))
        delegation.revoked_at = timezone.now()
        delegation.revoked_by = user
        delegation.revocation_reference = instruction
        delegation.save(update_fields=["revoked_at", "revoked_by", "revocation_reference"])
        audit.record(
            action=REVOKED,
            actor=user,
            data={**_data(delegation), "revocation_reference": instruction},
            ip=ip,
        )
    return delegation
