"""The one runner of the roles × actions × states matrices of every document kind.

A kind's matrix gives its table of expected outcomes, how to make a document in each
state and how to drive each action; this module drives every cell of one state against
ONE document, each cell inside a savepoint rolled back afterwards, so a cell sees the
document exactly as made and the costly states (signed and issued: two PAdES signatures)
are built once per state instead of once per cell. Every cell's outcome and its effects
are checked: a refusal changes nothing and (for 403/404) is on record; a success leaves
the state, the audit event and the content it should."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from tests.workflows import helpers as h
from workflows import selectors, services
from workflows.exceptions import WorkflowError
from workflows.models import AuditEvent, Comment, Document

OK, E404, E403, E409 = "ok", 404, 403, 409
STATES = h.STATES  # draft, submitted, returned, endorsed, signed, issued
ACTIONS = ("view", "edit", "submit", "return", "endorse", "sign", "issue", "comment")

# What a successful action leaves behind: the new state and the audit event.
AFTER = {
    "submit": "submitted",
    "return": "returned",
    "endorse": "endorsed",
    "sign": "signed",
    "issue": "issued",
    "opinion": "returned",
    "submit_to_signer": "endorsed",
}
VERB = {
    "submit": "submitted",
    "return": "returned",
    "endorse": "endorsed",
    "sign": "signed",
    "issue": "issued",
    "opinion": "opinion_given",
    "submit_to_signer": "submitted_for_signature",
}


def outcome(run, user, document) -> str | int:
    try:
        run(user, document)
    except Http404:  # NotInScope is an Http404
        return E404
    except PermissionDenied:  # ActionForbidden is a PermissionDenied
        return E403
    except WorkflowError as exc:
        return exc.status
    return OK


def act(action: str, **extra):
    """Drive `action` through the engine's service on the document's open task; a
    signature comes with a fresh step-up, as after the signer re-authenticated."""

    def run(user, document):
        task = h.open_task(document)
        kwargs = dict(extra)
        if action == "sign":
            kwargs.setdefault("session", h.stepped_up())
        return services.document_act(
            user=user,
            document_id=document.pk,
            action=action,
            task_id=task.pk if task else None,
            comment="Ý kiến: đề nghị chỉnh sửa mục kinh phí.",
            version=document.version,
            **kwargs,
        )

    return run


def comment(user, document):
    return services.comment_add(
        user=user, document_id=document.pk, body="Góp ý về mục tiêu cụ thể."
    )


def view(user, document):
    return selectors.document_for(user, document.pk)


@dataclass
class Kind:
    """What a kind's matrix tells the runner."""

    prefix: str  # audit prefix, e.g. "planning.plan"
    make: Callable[[str], Document]
    run: dict[str, Callable]
    expected: dict[str, dict[str, tuple]]
    number: str = "01/KH-UBDT"
    # The kind's own content, to check a refusal changed none of it and an edit did.
    content: Callable[[Document], object] = field(default=lambda d: None)
    edited: Callable[[object, object], bool] = field(default=lambda before, after: True)
    states: tuple[str, ...] = STATES


def check_cell(kind: Kind, document: Document, role: str, action: str, expected) -> str | None:
    """Drive one cell; None when it behaved as expected, else what went wrong."""
    document = Document.objects.get(pk=document.pk)
    before = Document.objects.values().get(pk=document.pk)
    content_before = kind.content(document)
    events_before = AuditEvent.objects.filter(document=document).count()
    comments_before = Comment.objects.filter(document=document).count()
    user = h.person(h.USER_FOR_ROLE[role])

    got = outcome(kind.run[action], user, document)

    if got != expected:
        return f"got {got}, expected {expected}"
    after = Document.objects.values().get(pk=document.pk)
    new_events = list(AuditEvent.objects.filter(document=document).order_by("pk")[events_before:])
    if expected != OK:
        if after != before:
            return "a refusal changed the document"
        if kind.content(document) != content_before:
            return "a refusal changed the content"
        if Comment.objects.filter(document=document).count() != comments_before:
            return "a refusal left a comment"
        seen = [(e.action, e.data.get("status")) for e in new_events]
        if expected in (E404, E403) and action != "view":
            if seen != [("workflows.document.access_denied", expected)]:
                return f"refusal not on record: {seen}"
        elif seen:
            return f"a refusal recorded {seen}"
        return None
    if action == "view":
        return None if not new_events and after == before else "viewing changed something"
    if action == "edit":
        if after["version"] != before["version"] + 1 or not after["title"].endswith("(sửa)"):
            return "the edit was not saved"
        if not kind.edited(content_before, kind.content(document)):
            return "the edit did not change the content"
        if [e.action for e in new_events] != [f"{kind.prefix}.edited"]:
            return f"edit events {[e.action for e in new_events]}"
        return None
    if action == "comment":
        comments = Comment.objects.filter(document=document)
        if comments.count() != comments_before + 1 or comments.latest("pk").author != user:
            return "the comment was not saved"
        return None
    if after["state"] != AFTER[action]:
        return f"state {after['state']}, expected {AFTER[action]}"
    first = new_events[0] if new_events else None
    if first is None or first.action != f"{kind.prefix}.{VERB[action]}" or first.actor != user:
        return f"events {[(e.action, e.actor_id) for e in new_events]}"
    if action == "sign" and (after["number_text"] or not after["signed_sha256"]):
        return "a signature numbers nothing and keeps the revision's hash"
    if action == "issue" and after["number_text"] != kind.number:
        return f"issued as {after['number_text']!r}, expected {kind.number!r}"
    return None


def run_state(kind: Kind, state: str) -> dict[str, str]:
    """Every role × action of one state, against one document; the cells that failed,
    by "role-action", with what went wrong."""
    document = kind.make(state)
    index = kind.states.index(state)
    failures = {}
    for role, rows in kind.expected.items():
        for action, outcomes in rows.items():
            savepoint = transaction.savepoint()
            try:
                problem = check_cell(kind, document, role, action, outcomes[index])
            finally:
                transaction.savepoint_rollback(savepoint)
            if problem:
                failures[f"{role}-{action}-{state}"] = problem
    return failures


def check_table(expected: dict[str, dict[str, tuple]], actions=ACTIONS, states=STATES) -> None:
    """Every role of the product, every action, one outcome per state."""
    assert set(expected) == set(h.USER_FOR_ROLE)
    for role, rows in expected.items():
        assert set(rows) == set(actions), role
        assert all(len(row) == len(states) for row in rows.values()), role
