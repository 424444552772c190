"""The one way to write an audit event. Every action code is registered with a label, so
the trail can be read in either language and a typo in a code fails loudly."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent, Document

_ACTIONS: dict[str, str | Promise] = {}


def register_action(code: str, label: str | Promise) -> str:
    if code.count(".") < 2:
        raise ValueError(f"Audit action codes are dotted: app.entity.verb, got {code!r}")
    _ACTIONS[code] = label
    return code


# What every document kind records, as `<kind audit prefix>.<verb>`.
DOCUMENT_VERBS: dict[str, str | Promise] = {
    "created": _("created"),
    "edited": _("edited"),
    "submitted": _("submitted"),
    "commented": _("commented"),
    "returned": _("returned for revision"),
    "endorsed": _("endorsed and forwarded for signature"),
    "signed": _("signed"),
    "issued": _("issued"),
}


def register_document_actions(prefix: str, kind_label: str | Promise) -> None:
    from django.utils.text import format_lazy

    for verb, label in DOCUMENT_VERBS.items():
        register_action(f"{prefix}.{verb}", format_lazy("{}: {}", kind_label, label))


def action_label(code: str) -> str:
    return str(_ACTIONS.get(code, code))


def registered_actions() -> dict[str, str | Promise]:
    return dict(_ACTIONS)


def client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    *,
    action: str,
    actor=None,
    document: Document | None = None,
    revision_number: int | None = None,
    from_state: str = "",
    to_state: str = "",
    comment: str = "",
    data: dict[str, Any] | None = None,
    ip: str | None = None,
) -> AuditEvent:
    if action not in _ACTIONS:
        raise KeyError(f"Unregistered audit action {action!r}")
    unit_code = ""
    roles = ""
    actor_name = ""
    if actor is not None and getattr(actor, "is_authenticated", False):
        unit_code = actor.unit.code if actor.unit_id else ""
        roles = ",".join(sorted(g.name for g in actor.groups.all()))
        actor_name = actor.display_name
    else:
        actor = None
    return AuditEvent.objects.create(
        created_at=timezone.now(),
        actor=actor,
        actor_name=actor_name,
        unit_code=unit_code,
        roles=roles,
        action=action,
        document=document,
        revision_number=revision_number,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
        data=data or {},
        ip=ip,
    )


DENIED = register_action("workflows.document.access_denied", _("Access to a document denied"))
