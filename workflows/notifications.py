"""E-mail to the people who now hold a document (and to its drafter when it comes back
or is issued). Written to the outbox in the action's transaction and sent by the worker
after the commit: a rolled-back action mails nobody, a crash after the commit loses
nothing."""

from __future__ import annotations

from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.template import Context, engines
from django.urls import reverse
from django.utils import translation

from organisation.selectors import permission_q

from . import hooks


def _with_permission(permission: str):
    return (
        get_user_model()
        .objects.filter(permission_q(permission), is_active=True)
        .exclude(email="")
        .distinct()
    )


class Pool(NamedTuple):
    """The people who may act next on a document: those holding `permission`, in
    `unit_id` (None: in any unit, the Committee leadership's signature)."""

    step: str
    permission: str
    unit_id: int | None


def pool(document) -> Pool | None:
    """The open step of the document and who may act on it; None once issued."""
    from .models import State

    kind = document.kind_config
    if document.state in (State.DRAFT, State.RETURNED):
        return Pool("draft", kind.draft_permission, document.drafting_unit_id)
    if document.state == State.SUBMITTED:
        return Pool("review", kind.review_permission, document.reviewing_unit_id)
    if document.state == State.ENDORSED:
        return Pool("sign", kind.sign_permission, None)
    if document.state == State.SIGNED:
        return Pool("issue", kind.issue_permission, None)
    return None


def holders(document) -> list:
    """Who must act next, given the document's state; whoever is on leave today is
    replaced by who acts for them (the registered substitution, workflows.hooks), except
    for signing, which never passes to a substitute."""
    return holders_by_document([document])[document.pk]


def holders_by_document(documents) -> dict[int, list]:
    """`holders()` of many documents at once, keyed by document pk: the rule lives here
    only, so a nightly job over ten thousand tasks and one action's mail agree on who
    holds a task. Documents are grouped by their pool (kind, step, unit: the permission
    and unit it comes to), and each permission needed costs one query for all the units
    wanted, so the number of queries depends on the kinds, never on the documents."""
    pools = {document.pk: pool(document) for document in documents}
    units_by_permission: dict[str, set | None] = {}
    for found in filter(None, pools.values()):
        if found.unit_id is None:
            units_by_permission[found.permission] = None
        elif found.permission not in units_by_permission:
            units_by_permission[found.permission] = {found.unit_id}
        elif units_by_permission[found.permission] is not None:
            units_by_permission[found.permission].add(found.unit_id)
    people: dict[tuple[str, int | None], list] = {}
    for permission, units in units_by_permission.items():
        query = _with_permission(permission)
        if units is not None:
            query = query.filter(unit__in=units)
        everyone = list(query)
        people[(permission, None)] = everyone
        for person in everyone:
            people.setdefault((permission, person.unit_id), []).append(person)
    # Substitutes of people on leave, for every pool but the signature, at once.
    pool_people = [
        person
        for (permission, unit), group in people.items()
        if unit is not None
        for person in group
    ]
    acting = hooks.substitution().acting_map({p.pk: p for p in pool_people}.values())
    result: dict[int, list] = {}
    for pk, found in pools.items():
        group = people.get((found.permission, found.unit_id), []) if found else []
        if found and found.step != "sign":
            group = [p for p in hooks.held_by([p.pk for p in group], acting) if p.email]
        result[pk] = list(group)
    return result


def after_action(*, document, action: str, actor) -> None:
    """Mail whoever holds the document now (and its drafter when it comes back or is
    issued), through the outbox, inside the action's transaction. The key names the
    document's version, so each action mails each person once."""
    recipients = {p.pk: p for p in holders(document)}
    if action in ("return", "issue"):
        drafter = hooks.substitution().acting_for(document.created_by)
        if drafter.email:
            recipients[drafter.pk] = drafter
    recipients.pop(actor.pk, None)
    if not recipients:
        return
    url = settings.SITE_URL.rstrip("/") + reverse("workflows:document", args=[document.pk])
    with translation.override("vi"):
        for person in recipients.values():
            context = {"document": document, "person": person, "url": url, "action": action}
            queue_mail(
                key=f"workflow:{document.pk}:v{document.version}:{action}:{person.pk}",
                to=[person.email],
                subject=render_text("workflows/email/subject.txt", context),
                body=render_text("workflows/email/body.txt", context),
            )


def queue_mail(*, key: str, to: list[str], subject: str, body: str) -> None:
    """The one way the product sends a mail: call it inside the transaction of the action
    that causes the mail. `key` identifies the mail (e.g. "reminder:2027-02-03:task:17:p:4")
    so that the same mail is never sent twice, whoever retries: it becomes a row of the
    durable outbox (outbox.services), delivered by the worker after the commit."""
    from outbox.services import mail_queue

    mail_queue(key=key, to=to, subject=subject_line(subject), body=body)


def queue_mails(mails: list[dict]) -> None:
    """`queue_mail` for many mails at once (dicts of its keyword arguments), in a fixed
    number of queries whatever their number: for the jobs that mail hundreds of people."""
    from outbox.services import mail_queue_many

    mail_queue_many(mails=[{**m, "subject": subject_line(m["subject"])} for m in mails])


def render_text(template_name: str, context: dict) -> str:
    """A plain-text template rendered without HTML escaping: a title like
    `Kế hoạch "A" & <B>` must reach the reader as typed, not as `&quot;A&quot; &amp;`.
    Escaping belongs only to an HTML alternative, and the mail has none."""
    template = engines["django"].get_template(template_name).template
    return template.render(Context(context, autoescape=False))


def subject_line(text: str) -> str:
    """One line of plain text: a header may not hold a newline."""
    return " ".join(text.split())
