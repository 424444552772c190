"""State changes of documents. Each runs in one transaction: lock the document row, check
scope and permission, move the lifecycle and the flow task together, write the audit
event; mail goes out only after commit. Denied attempts are recorded too."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import can_proceed
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from deadlines.durations import default_due_on
from organisation.models import Unit
from organisation.text import clean
from signing import step_up
from worktime.calendar import today as vietnam_today

from . import audit, hooks, kinds, money, notifications, numbering, permissions, selectors
from .exceptions import (
    ActionForbidden,
    AlreadyHandled,
    InvalidInput,
    NotEditable,
    NotInScope,
    NotTaken,
    ReauthenticationRequired,
    StaleDocument,
    TaskHeld,
)
from .flows import DocumentFlow
from .formatting import grouped
from .models import Comment, Document, Revision, RevisionSeen, State, Verdict, VerificationLink

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
        except (NotInScope, ActionForbidden, ReauthenticationRequired) as exc:
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
                    **(
                        {"reason": "step_up_required"}
                        if isinstance(exc, ReauthenticationRequired)
                        else {}
                    ),
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
    comment = clean(comment)
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
    due_on = default_due_on(config, "draft", year)
    with transaction.atomic():
        document = Document.objects.create(
            kind=kind,
            title=clean(title),
            year=year,
            drafting_unit=drafting_unit,
            reviewing_unit=Unit.objects.get(code=config.reviewing_unit),
            created_by=user,
            due_on=due_on,
        )
        DocumentFlow.start.run(document=document)
        audit.record(
            action=_action(document, "created"),
            actor=user,
            document=document,
            to_state=document.state,
            data={**(data or {}), **({"due_on": due_on.isoformat()} if due_on else {})} or None,
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
# For other apps' services that act on one document: lock its row, then check scope.
lock_in_scope = _lock


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
    ("issue", "issue"): _Step("issue", "issue", "issued"),
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


def _record_signature(
    document: Document, user, revision: Revision, money_unit: str, grant=None
) -> None:
    """Who signed which revision, in which capacity, in which unit of amounts: what the
    PDF prints under the signature and the issued document keeps."""
    document.signed_by = user
    document.signer_name = user.display_name
    document.signer_title = (user.position_title or "").upper()
    document.signed_on_behalf = grant is not None
    document.signed_revision = revision
    document.signed_sha256 = revision.sha256
    document.signed_at = timezone.now()
    document.money_unit = money_unit


def _issued_on(document: Document, wanted: dt.date | None) -> dt.date:
    """The issue date: today in Vietnam unless the clerk gives another, which may be
    neither in the future nor before the signature."""
    today = timezone.localdate()  # Asia/Ho_Chi_Minh (settings.TIME_ZONE)
    if wanted is None:
        return today
    if not isinstance(wanted, dt.date):
        raise InvalidInput(problems=[_("Enter the issue date as dd/mm/yyyy.")])
    signed_on = timezone.localdate(document.signed_at) if document.signed_at else today
    if wanted > today:
        raise InvalidInput(problems=[_("The issue date cannot be in the future.")])
    if wanted < signed_on:
        raise InvalidInput(
            problems=[
                _("The issue date cannot be before the signature (%(day)s).")
                % {"day": _day(signed_on)}
            ]
        )
    return wanted


def _number(document: Document, issued_on: dt.date) -> None:
    """Take the next number of the kind's register for the issue date's year (the
    register's row is locked until the transaction ends)."""
    config = document.kind_config
    problems = config.issue_problems(document, issued_on)
    if problems:
        raise InvalidInput(problems=problems)
    number = numbering.take_next_number(register=config.register, year=issued_on.year)
    document.register = config.register
    document.number = number
    document.number_year = issued_on.year
    document.number_text = numbering.format_number(number=number, register=config.register)
    document.issued_on = issued_on


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
    due_on: dt.date | None = None,
    session=None,
    issued_on: dt.date | None = None,
    recipient_unit_ids: list[int] | None = None,
    ip: str | None = None,
) -> Document:
    """submit | return | endorse | sign | issue on the document's open task; for kinds
    reviewed by opinion: opinion (with a verdict) and submit_to_signer. `money_unit` is
    the unit the signer saw the amounts in: an issued document keeps it, and its print
    view uses it. `due_on` shortens the next step's due date (never lengthens it: see
    document_set_due_date).

    sign needs the signer's step-up in `session` (signing.step_up: re-authenticated in
    the last five minutes), used up by the signature. issue is the Office's: the number
    of the register, `issued_on` (today by default) and the units the issued PDF is
    dispatched to (`recipient_unit_ids`; by default the drafting and reviewing units)."""
    with transaction.atomic():
        document = _lock(user, document_id)
        if action not in {a for a, _n in _STEPS} or money.clean_unit(money_unit) is None:
            raise InvalidInput
        # First the role (403, recorded), then whether the document is at that step now
        # (409: somebody, or an earlier click, has moved it on).
        if not permissions.may_act(user, document, action):
            raise ActionForbidden
        task = _open_task(document, task_id)
        on_behalf = _acting_for_holder(user, task)
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

        # The signature authority (workflows.hooks) may add a rule, checked after the lock
        # and before anything is written (403, and nothing saved, when it refuses).
        authority = hooks.signature_authority()
        copies = hooks.signed_copies()
        grant = None
        if step.method == "sign":
            grant = authority.grant(user=user, kind=document.kind)
            if step_up.signing_step_up_valid_until(session or {}) is None:
                raise ReauthenticationRequired

        from_state = document.state
        revision = None
        if step.node == "draft":
            problems = document.kind_config.submission_problems(document)
            if problems:
                raise InvalidInput(problems=problems)
            revision = _freeze_revision(document, user)
        elif step.method == "issue":
            revision = document.signed_revision
        else:
            revision = document.revisions.order_by("-number").first()
        transition()
        if step.method == "sign":
            problems = document.kind_config.issue_problems(document, timezone.localdate())
            if problems:
                raise InvalidInput(problems=problems)
            _record_signature(document, user, revision, money_unit, grant)
            copies.sign(document=document, revision=revision, user=user)
            step_up.signing_step_up_consume(session, user=user, ip=ip)
        elif step.method == "issue":
            _number(document, _issued_on(document, issued_on))
        default_due = default_due_on(document.kind_config, document.state, document.year)
        document.due_on = _shortened_due_on(default_due, due_on)
        document.version += 1
        document.state_changed_at = timezone.now()
        if step.method == "issue":
            copies.issue(document=document, user=user, recipient_unit_ids=recipient_unit_ids)
        document.save()
        if grant is not None:
            authority.keep(document=document, grant=grant)

        with task.activation() as activation:
            if activation.task.status == STATUS.NEW:
                activation.assign(user)
            elif activation.task.owner_id != user.pk:
                activation.reassign(user)  # the finished task names who really acted
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
        data = {
            "task": task.pk,
            **({"verdict": verdict} if verdict else {}),
            **_on_behalf_data(on_behalf),
            **_due_data(document.due_on, default_due),
        }
        if step.method == "sign":
            data.update(
                sha256=document.signed_sha256,
                on_behalf=document.signed_on_behalf,
                money_unit=document.money_unit,
                **(authority.audit_data(grant) if grant is not None else {}),
            )
        elif step.method == "issue":
            data.update(
                number=document.number_text,
                issued_on=document.issued_on.isoformat(),
                sha256=document.signed_sha256,
                signed_by=document.signer_name,
                on_behalf=document.signed_on_behalf,
                money_unit=document.money_unit,
            )
        audit.record(
            action=_action(document, step.verb),
            actor=user,
            document=document,
            revision_number=revision_number,
            from_state=from_state,
            to_state=document.state,
            comment=comment,
            data=data,
            ip=ip,
        )
        if step.method == "issue":
            copies.dispatch(document=document, user=user, recipient_unit_ids=recipient_unit_ids)
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


# --- Taking a task of the pool ----------------------------------------------------------

TASK_TAKEN = audit.register_action("workflows.task.taken", gettext_lazy("Task taken"))
TASK_RELEASED = audit.register_action("workflows.task.released", gettext_lazy("Task released"))


def _acting_for_holder(user, task: Task):
    """Whether `user` may act on `task` as far as who holds it goes: a task nobody took
    is the whole pool's (None); a taken one only its holder's (None) or, while the holder
    is on leave and handed their tasks over, their substitute's (the absentee is
    returned: the substitute acts "thay mặt" them). Signing never passes to a
    substitute. Anyone else is refused with the holder's name (409)."""
    if task.owner_id is None or task.owner_id == user.pk:
        return None
    absentee = selectors.held_for(user, task)
    if absentee is None:
        raise TaskHeld(task.owner.display_name)
    return absentee


def _on_behalf_data(absentee) -> dict:
    if absentee is None:
        return {}
    return {"on_behalf_of": {"id": absentee.pk, "name": absentee.display_name}}


def _pool_task(user, document_id, task_id) -> tuple[Document, Task]:
    document = _lock(user, document_id)
    if task_id is None:
        raise NotInScope
    task = _open_task(document, task_id)
    if not permissions.in_pool(user, document, task.flow_task.name):
        raise ActionForbidden
    return document, task


@_record_denials
def task_take(*, user, document_id: int, task_id: int, ip: str | None = None) -> Task:
    """Take an open task of one's pool, so that one holds it (viewflow's assignment):
    colleagues then see who holds it and may not act on it."""
    with transaction.atomic():
        document, task = _pool_task(user, document_id, task_id)
        on_behalf = _acting_for_holder(user, task)
        if task.owner_id == user.pk:
            return task  # taken already: a second click changes nothing
        with task.activation() as activation:
            if activation.task.status == STATUS.NEW:
                activation.assign(user)
            else:
                activation.reassign(user)
        audit.record(
            action=TASK_TAKEN,
            actor=user,
            document=document,
            from_state=document.state,
            to_state=document.state,
            data={"task": task.pk, "step": task.flow_task.name, **_on_behalf_data(on_behalf)},
            ip=ip,
        )
    return task


@_record_denials
def task_release(*, user, document_id: int, task_id: int, ip: str | None = None) -> Task:
    """Give a task one took back to the whole pool."""
    with transaction.atomic():
        document, task = _pool_task(user, document_id, task_id)
        if task.owner_id is None:
            raise NotTaken
        if task.owner_id != user.pk:
            raise TaskHeld(task.owner.display_name)
        with task.activation() as activation:
            activation.unassign()
        audit.record(
            action=TASK_RELEASED,
            actor=user,
            document=document,
            from_state=document.state,
            to_state=document.state,
            data={"task": task.pk, "step": task.flow_task.name},
            ip=ip,
        )
    return task


# --- Due dates ------------------------------------------------------------------------

DUE_DATE_CHANGED = audit.register_action(
    "workflows.document.due_date_changed", gettext_lazy("Due date changed")
)
MAX_REASON = 500


def _day(day: dt.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _not_in_past(day: dt.date) -> None:
    if day < vietnam_today():
        raise InvalidInput(problems=[_("A due date cannot be in the past.")])


def _shortened_due_on(default: dt.date | None, wanted: dt.date | None) -> dt.date | None:
    """The due date of the step that starts: the default, or an earlier day the sender
    chose. Only the Minister's office sets a later one, with a reason, afterwards."""
    if wanted is None or default is None:
        return default  # an issued document has no step left to time
    if not isinstance(wanted, dt.date):
        raise InvalidInput(problems=[_("Enter the due date as dd/mm/yyyy.")])
    _not_in_past(wanted)
    if wanted > default:
        raise InvalidInput(
            problems=[
                _(
                    "The due date may be at most %(default)s. Only the Minister's office may "
                    "set a later one, with a reason."
                )
                % {"default": _day(default)}
            ]
        )
    return wanted


def _due_data(due_on: dt.date | None, default: dt.date | None) -> dict[str, Any]:
    data: dict[str, Any] = {"due_on": due_on.isoformat() if due_on else None}
    if due_on != default and default is not None:
        data["due_on_default"] = default.isoformat()
    return data


@_record_denials
def document_set_due_date(
    *,
    user,
    document_id: int,
    due_on: dt.date,
    reason: str = "",
    version: int | None,
    ip: str | None = None,
) -> Document:
    """The Minister's office (signers and the Office clerk) moves the due date of the
    open step: earlier, or later with a reason. Content and state are unchanged, so the
    version is checked (a form against an older page is refused) but not bumped: the
    holder's open review form stays valid."""
    with transaction.atomic():
        document = _lock(user, document_id)
        if not permissions.may_set_due_date(user, document):
            raise ActionForbidden
        if document.state not in (
            State.DRAFT,
            State.SUBMITTED,
            State.RETURNED,
            State.ENDORSED,
            State.SIGNED,
        ):
            raise NotEditable(_("An issued document has no due date."))
        _check_version(document, version)
        if not isinstance(due_on, dt.date):
            raise InvalidInput(problems=[_("Enter the due date as dd/mm/yyyy.")])
        _not_in_past(due_on)
        reason = clean(reason)
        previous = document.due_on
        if previous is not None and due_on > previous and not reason:
            raise InvalidInput(problems=[_("Say why the due date is made later.")])
        if len(reason) > MAX_REASON:
            raise InvalidInput(
                problems=[_("A reason may be at most %(n)d characters.") % {"n": MAX_REASON}]
            )
        if previous == due_on:
            return document
        _change_due_on(document, due_on, user=user, reason=reason, ip=ip)
    return document


def _change_due_on(document: Document, due_on: dt.date, *, user, ip, reason="", source=""):
    """Store a new due date on the locked document and audit it with the one before."""
    previous = document.due_on
    Document.objects.filter(pk=document.pk).update(due_on=due_on)
    document.due_on = due_on
    audit.record(
        action=DUE_DATE_CHANGED,
        actor=user,
        document=document,
        from_state=document.state,
        to_state=document.state,
        comment=reason,
        data={
            "due_on": due_on.isoformat(),
            "previous": previous.isoformat() if previous else None,
            **({"source": source} if source else {}),
        },
        ip=ip,
    )


def documents_apply_draft_due_dates(*, user, year: int, ip: str | None = None) -> int:
    """Give that year's first drafts the due date their kind now gives (e.g. the guidance
    deadline just published). An earlier due date is kept: the Minister's office may have
    set it, and only it may make a due date later. Returns how many drafts changed."""
    changed = 0
    for kind in kinds.all_kinds():
        if kind.draft_due_on is None:
            continue
        due_on = kind.draft_due_on(year)
        if due_on is None:
            continue
        drafts = (
            Document.objects.select_for_update()
            .filter(kind=kind.code, year=year, state=State.DRAFT)
            .filter(Q(due_on__isnull=True) | Q(due_on__gt=due_on))
        )
        for document in drafts:
            _change_due_on(document, due_on, user=user, ip=ip, source="guidance")
            changed += 1
    return changed


def verification_link_ensure(*, document: Document) -> VerificationLink:
    """The document's verification link, made on first use: the first PDF (the preview
    the signer reads) already carries the link its issued copies will carry."""
    link, _created = VerificationLink.objects.get_or_create(document=document)
    return link
