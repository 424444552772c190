"""E-mail to the people who now hold a document (and to its drafter when it comes back
or is issued). Written to the outbox in the action's transaction and sent by the worker
after the commit: a rolled-back action mails nobody, a crash after the commit loses
nothing."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.template import Context, engines
from django.urls import reverse
from django.utils import translation


def _with_permission(permission: str):
    app_label, codename = permission.split(".", 1)
    perm_q = Q(
        groups__permissions__codename=codename,
        groups__permissions__content_type__app_label=app_label,
    ) | Q(
        user_permissions__codename=codename,
        user_permissions__content_type__app_label=app_label,
    )
    return get_user_model().objects.filter(perm_q, is_active=True).exclude(email="").distinct()


def holders(document) -> list:
    """Who must act next, given the document's state."""
    from .models import State

    kind = document.kind_config
    if document.state in (State.DRAFT, State.RETURNED):
        people = _with_permission(kind.draft_permission).filter(unit=document.drafting_unit_id)
    elif document.state == State.SUBMITTED:
        people = _with_permission(kind.review_permission).filter(unit=document.reviewing_unit_id)
    elif document.state == State.ENDORSED:
        people = _with_permission(kind.sign_permission)
    else:
        people = get_user_model().objects.none()
    return list(people)


def after_action(*, document, action: str, actor) -> None:
    """Mail whoever holds the document now (and its drafter when it comes back or is
    issued), through the outbox, inside the action's transaction. The key names the
    document's version, so each action mails each person once."""
    recipients = {p.pk: p for p in holders(document)}
    if action in ("return", "sign") and document.created_by.email:
        recipients[document.created_by_id] = document.created_by
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
