"""State changes of documents. Each runs in one transaction: lock the document row, check
scope and permission, move the lifecycle and the flow task together, write the audit
event; mail goes out only after commit. Denied attempts are recorded too."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from organisation.models import Unit

from . import audit, kinds, money, notifications, numbering, permissions
from .exceptions import (
    ActionForbidden,
    AlreadyHandled,
    InvalidInput,
    NotEditable,
    NotInScope,
    StaleDocument,
)
from .flows import DocumentFlow
from .formatting import grouped
from .models import Comment, Document, Revision, RevisionSeen, Verdict

OPEN_TASK = (STATUS.NEW, STATUS.ASSIGNED)
MAX_COMMENT = 5000
DENIED_ACTION = audit.DENIED


def canonical_json(content: dict[str, Any]) -> bytes:
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def content_sha256(content: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(content)).hexdigest()


def _record_denials(func):
    """A refused attempt is evidence too: record it after the refused transaction has
    rolled back, so the record itself is not rolled back with it."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except (NotInScope, ActionForbidden) as exc:
            try:
                document = Document.objects.filter(pk=int(kwargs.get("document_id"))).first()
            except (TypeError, ValueError):
                document = None  # a malformed id: still a refusal worth recording
            audit.record(
                action=DENIED_ACTION,
                actor=kwargs.get("user"),
                document=document,
                data={
                    "attempted": func.__name__,
                    "status": 404 if isinstance(exc, NotInScope) else 403,
                },
                ip=kwargs.get("ip"),
            )
            exc.audited = True
            raise

    return wrapper


def _lock(user, document_id: int) -> Document:
    """Lock the row first, then check scope: a concurrent action waits here and then sees
    the state the first one committed."""
    try:
        document = Document.objects.select_for_update().get(pk=document_id)
    except (Document.DoesNotExist, ValueError, TypeError):
        raise NotInScope from None
    if not permissions.can_view(user, document):
        raise NotInScope
    return document


def _check_version(document: Document, version: int | None) -> None:
    if version is not None and int(version) != document.version:
        raise StaleDocument


def _clean_comment(comment: str | None, *, required: bool, missing: str = "") -> str:
    comment = (comment or "").strip()
    if required and not comment:
        raise InvalidInput(
            problems=[missing or _("A return must say what to revise: write a comment.")]
        )
    if len(comment) > MAX_COMMENT:
        raise InvalidInput(
            problems=[
                _(
                    "A comment may be at most %(limit)s characters (you wrote %(count)s): "
                    "shorten it."
                )
                % {"limit": grouped(MAX_COMMENT), "count": grouped(len(comment))}
            ]
        )
    return comment


def _action(document: Document, verb: str) -> str:
    return f"{document.kind_config.audit_prefix}.{verb}"


# --- Creating and editing -------------------------------------------------------------


def document_create(
    *,
    user,
    kind: str,
    title: str,
    year: int,
    ip: str | None = None,
    data: dict[str, Any] | None = None,
) -> Document:
    """Create a draft and start its flow. Call inside the kind's own transaction, which
    then adds the kind's content rows."""
    config = kinds.get(kind)
    drafting_unit = Unit.objects.get(code=config.drafting_unit)
    if user.unit_id != drafting_unit.pk or not user.has_perm(config.draft_permission):
        raise ActionForbidden
    with transaction.atomic():
        document = Document.objects.create(
            kind=kind,
            title=title,
            year=year,
            drafting_unit=drafting_unit,
            reviewing_unit=Unit.objects.get(code=config.reviewing_unit),
            created_by=user,
        )
        DocumentFlow.start.run(document=document)
        audit.record(
            action=_action(document, "created"),
            actor=user,
            document=document,
            to_state=document.state,
            data=data,
            ip=ip,
        )
    return document


@contextmanager
def document_editing(
    *, user, document_id: int, version: int | None, ip: str | None = None, what: str = ""
) -> Iterator[Document]:
    """Wraps a kind's content change: yields the locked document once the person may edit
    it and their form is not stale; afterwards bumps the version and audits the edit."""
    with transaction.atomic():
        document = _lock(user, document_id)
        if not (
            user.unit_id == document.drafting_unit_id
            and user.has_perm(document.kind_config.draft_permission)
        ):
            raise ActionForbidden
        if not document.is_editable:
            raise NotEditable
        _check_version(document, version)
        yield document
        document.version += 1
        document.save(update_fields=["version", "updated_at", "title"])
        audit.record(
            action=_action(document, "edited"),
            actor=user,
            document=document,
            from_state=document.state,
            to_state=document.state,
            data={"what": what} if what else None,
            ip=ip,
        )


record_denials = _record_denials


# --- Moving through the flow ----------------------------------------------------------


@dataclass(frozen=True)
class _Step:
    node: str
    method: str
    verb: str
    comment_required: bool = False


_STEPS = {
    ("submit", "draft"): _Step("draft", "submit", "submitted"),
    ("return", "review"): _Step("review", "return_from_review", "returned", True),
    ("endorse", "review"): _Step("review", "endorse", "endorsed"),
    ("return", "sign"): _Step("sign", "return_from_signer", "returned", True),
    ("sign", "sign"): _Step("sign", "sign", "signed"),
    ("opinion", "review"): _Step("review", "give_opinion", "opinion_given"),
    ("submit_to_signer", "draft"): _Step(
        "draft", "submit_for_signature", "submitted_for_signature"
    ),
}


def _open_task(document: Document, task_id: int | None) -> Task:
    """The task in the URL must belong to this document's process; a finished one means
    somebody (or an earlier click) already acted."""
    tasks = Task.objects.filter(process_id=document.process_id)
    try:
        task = tasks.get(pk=task_id) if task_id is not None else None
    except (Task.DoesNotExist, ValueError, TypeError):
        raise NotInScope from None
    if task is None:
        task = tasks.filter(status__in=OPEN_TASK).order_by("-created").first()
        if task is None:
            raise AlreadyHandled
    if task.status not in OPEN_TASK:
        raise AlreadyHandled
    return task


def _freeze_revision(document: Document, user) -> Revision:
    content = document.kind_config.snapshot(document)
    document.revision_count += 1
    return Revision.objects.create(
        document=document,
        number=document.revision_count,
        content=content,
        sha256=content_sha256(content),
        created_by=user,
    )


def _issue(document: Document, user, revision: Revision, money_unit: str) -> None:
    config = document.kind_config
    today = timezone.localdate()
    problems = config.issue_problems(document, today)
    if problems:
        raise InvalidInput(problems=problems)
    number = numbering.take_next_number(register=config.register, year=today.year)
    on_behalf = user.has_perm("organisation.sign_on_delegation")
    document.register = config.register
    document.number = number
    document.number_year = today.year
    document.number_text = numbering.format_number(number=number, register=config.register)
    document.issued_on = today
    document.signed_by = user
    document.signer_name = user.display_name
    document.signer_title = (user.position_title or "").upper()
    document.signed_on_behalf = on_behalf
    document.signed_revision = revision
    document.signed_sha256 = revision.sha256
    document.money_unit = money_unit


@_record_denials
def document_act(
    *,
    user,
    document_id: int,
    action: str,
    task_id: int | None = None,
    comment: str = "",
    verdict: str = "",
    version: int | None = None,
    money_unit: str = money.DONG,
    ip: str | None = None,
) -> Document:
    """submit | return | endorse | sign on the document's open task; for kinds reviewed
    by opinion: opinion (with a verdict) and submit_to_signer. `money_unit` is the unit the
    signer saw the amounts in: an issued document keeps it, and its print view uses it."""
    with transaction.atomic():
        document = _lock(user, document_id)
        if action not in {a for a, _n in _STEPS} or money.clean_unit(money_unit) is None:
            raise InvalidInput
        # First the role (403, recorded), then whether the document is at that step now
        # (409: somebody, or an earlier click, has moved it on).
        if not permissions.may_act(user, document, action):
            raise ActionForbidden
        task = _open_task(document, task_id)
        step = _STEPS.get((action, task.flow_task.name))
        if step is None:
            raise AlreadyHandled
        transition = getattr(document, step.method)
        meta = transition._django_fsm
        if meta.has_transition(document.state) and not meta.has_transition_perm(
            document, document.state, user
        ):
            # e.g. a reviewer returning a document that now waits for the signer
            raise AlreadyHandled
        if not can_proceed(transition):
            if can_proceed(transition, check_conditions=False):
                # The state allows it but this kind does not work that way (or the
                # opinion it needs is missing).
                raise InvalidInput(problems=[_("This action does not apply to this document.")])
            raise AlreadyHandled
        _check_version(document, version)
        if step.method == "give_opinion":
            if verdict not in Verdict.values:
                raise InvalidInput(problems=[_("Choose agree, agree with comments or disagree.")])
            comment = _clean_comment(
                comment,
                required=verdict != Verdict.AGREE,
                missing=_("Comments or reasons are required unless you agree."),
            )
        else:
            verdict = ""
            comment = _clean_comment(comment, required=step.comment_required)

        from_state = document.state
        revision = None
        if step.node == "draft":
            problems = document.kind_config.submission_problems(document)
            if problems:
                raise InvalidInput(problems=problems)
            revision = _freeze_revision(document, user)
        else:
            revision = document.revisions.order_by("-number").first()
        transition()
        if step.method == "sign":
            _issue(document, user, revision, money_unit)
        document.version += 1
        document.state_changed_at = timezone.now()
        document.save()

        with task.activation() as activation:
            if activation.task.status == STATUS.NEW:
                activation.assign(user)
            activation.start(None)
            activation.execute()

        if comment or verdict:
            Comment.objects.create(
                document=document,
                revision=revision,
                author=user,
                body=comment,
                action=action,
                verdict=verdict,
            )
        revision_number = revision.number if revision else None
        audit.record(
            action=_action(document, step.verb),
            actor=user,
            document=document,
            revision_number=revision_number,
            from_state=from_state,
            to_state=document.state,
            comment=comment,
            data={"task": task.pk, **({"verdict": verdict} if verdict else {})},
            ip=ip,
        )
        if step.method == "sign":
            audit.record(
                action=_action(document, "issued"),
                actor=user,
                document=document,
                revision_number=revision_number,
                from_state=from_state,
                to_state=document.state,
                data={
                    "number": document.number_text,
                    "issued_on": document.issued_on.isoformat(),
                    "sha256": document.signed_sha256,
                    "on_behalf": document.signed_on_behalf,
                    "money_unit": document.money_unit,
                },
                ip=ip,
            )
        if step.method == "sign":
            document.kind_config.after_issue(document)
        notifications.after_action(document=document, action=action, actor=user)
    return document


@_record_denials
def comment_add(
    *,
    user,
    document_id: int,
    body: str,
    anchor: str = "",
    ip: str | None = None,
) -> Comment:
    with transaction.atomic():
        document = _lock(user, document_id)
        if not permissions.may_act(user, document, "comment"):
            raise ActionForbidden
        if not permissions.comments_open(document):
            raise NotEditable(_("Comments can be added only while the document is under review."))
        body = _clean_comment(body, required=True, missing=_("Write a comment first."))
        anchor = (anchor or "")[:120]
        revision = document.revisions.order_by("-number").first()
        comment = Comment.objects.create(
            document=document, revision=revision, author=user, body=body, anchor=anchor
        )
        audit.record(
            action=_action(document, "commented"),
            actor=user,
            document=document,
            revision_number=revision.number,
            from_state=document.state,
            to_state=document.state,
            comment=body,
            data={"anchor": anchor} if anchor else None,
            ip=ip,
        )
    return comment


def revision_mark_seen(*, user, document: Document, revision_number: int) -> int | None:
    """Remember the revision a reviewer or signer has now seen; returns the one they had
    seen before (None the first time), to diff against."""
    seen = RevisionSeen.objects.filter(document=document, person=user).first()
    previous = seen.revision_number if seen else None
    if previous != revision_number:
        RevisionSeen.objects.update_or_create(
            document=document, person=user, defaults={"revision_number": revision_number}
        )
    return previous
