"""The Office's formal reminder: mailed to the holders, on the document's timeline, in
the audit trail; refused in words when the message is empty or too long."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from followup import services
from organisation.models import Unit
from tests.followup import helpers as f
from tests.workflows import helpers as h
from workflows import audit
from workflows.exceptions import ActionForbidden, InvalidInput, NotInScope, WorkflowError
from workflows.models import AuditEvent

pytestmark = pytest.mark.usefixtures("demo_org")

MESSAGE = "Đề nghị Vụ Kế hoạch hoàn thành thẩm định trước ngày 15/12/2026."


def remind(**kwargs):
    kwargs.setdefault("message", MESSAGE)
    return services.followup_remind(user=h.person(f.CLERK), ip="10.0.0.7", **kwargs)


def reminders():
    return AuditEvent.objects.filter(action__startswith="followup.").order_by("seq")


def test_a_reminder_to_a_documents_holder_is_mailed_shown_and_audited(
    client, django_capture_on_commit_callbacks
):
    document = f.held_plan("submitted", due_on=dt.date(2026, 12, 7), title="Kế hoạch A & <B>")

    with django_capture_on_commit_callbacks(execute=True):
        reminder = remind(document_id=document.pk)

    reviewer = h.person(h.REVIEWER)
    assert [p.username for p in reminder.recipients] == [h.REVIEWER]
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [reviewer.email]
    assert "Kế hoạch A & <B>" in sent.subject and "\n" not in sent.subject
    assert MESSAGE in sent.body
    assert "07/12/2026" in sent.body
    assert reverse("workflows:document", args=[document.pk]) in sent.body

    (event,) = reminders()
    assert (event.action, event.document, event.actor.username) == (
        "followup.document.reminded",
        document,
        f.CLERK,
    )
    assert h.own_data(event) == {
        "message": MESSAGE,
        "step": "review",
        "holder": "KH",
        "recipients": [reviewer.pk],
    }
    assert event.ip == "10.0.0.7"
    assert audit.verify_chain().ok

    # The reviewer sees it on the document's timeline, with the message.
    client.force_login(reviewer)
    response = client.get(reverse("workflows:document", args=[document.pk]))
    assert event in response.context["timeline"]
    html = response.content.decode()
    assert MESSAGE in html
    assert audit.action_label("followup.document.reminded") in html


def test_a_unit_reminder_covers_all_it_holds_one_mail_per_person(
    django_capture_on_commit_callbacks,
):
    first = f.held_plan("submitted", title="Kế hoạch 1")
    second = f.held_plan("submitted", title="Kế hoạch 2")
    elsewhere = f.held_plan("returned", title="Kế hoạch của Trung tâm")
    kh = Unit.objects.get(code="KH")

    with django_capture_on_commit_callbacks(execute=True):
        reminder = remind(unit_id=kh.pk)

    assert {d.pk for d in reminder.documents} == {first.pk, second.pk}
    # One mail to the reviewer, listing both plans: not one mail per document.
    assert len(mail.outbox) == 1
    assert "Kế hoạch 1" in mail.outbox[0].body and "Kế hoạch 2" in mail.outbox[0].body
    unit_event, *document_events = reminders()
    assert unit_event.action == "followup.unit.reminded" and unit_event.document is None
    assert unit_event.data == {
        "message": MESSAGE,
        "unit": "KH",
        "unit_id": kh.pk,
        "documents": sorted([first.pk, second.pk]),
    }
    assert sorted(e.document_id for e in document_events) == sorted([first.pk, second.pk])
    assert {e.data["unit_event"] for e in document_events} == {unit_event.seq}
    assert not AuditEvent.objects.filter(document=elsewhere, action__startswith="followup.")


def test_each_reminder_has_its_own_idempotency_key(monkeypatch):
    document = f.held_plan("submitted")  # its submission mails through queue_mail too
    keys = []
    monkeypatch.setattr(
        services.notifications, "queue_mail", lambda *, key, **kwargs: keys.append(key)
    )

    remind(document_id=document.pk)
    remind(document_id=document.pk)

    reviewer = h.person(h.REVIEWER)
    seqs = [e.seq for e in reminders()]
    assert keys == [f"followup:reminder:{seq}:p:{reviewer.pk}" for seq in seqs]


@pytest.mark.parametrize(
    ("message", "problem"),
    [
        ("", "Write the message of the reminder."),
        ("   \n ", "Write the message of the reminder."),
        ("Ứ" * 2001, "A reminder may be at most 2.000 characters (you wrote 2.001)."),
    ],
)
def test_an_empty_or_too_long_message_is_refused_in_words(message, problem):
    document = f.held_plan("submitted")

    with translation.override("en"), pytest.raises(InvalidInput) as refused:
        remind(document_id=document.pk, message=message)

    assert refused.value.status == 400
    assert [str(p) for p in refused.value.problems] == [problem]
    assert not reminders().exists()
    assert mail.outbox == []


def test_a_document_waiting_on_nobody_or_a_unit_holding_nothing_is_a_conflict():
    issued = f.held_plan("issued")
    with pytest.raises(WorkflowError) as refused:
        remind(document_id=issued.pk)
    assert refused.value.status == 409
    with pytest.raises(WorkflowError) as refused:
        remind(unit_id=Unit.objects.get(code="TCCB").pk)
    assert refused.value.status == 409
    assert not reminders().exists()


def test_scope_and_permission_are_checked_in_the_service():
    draft = f.held_plan("draft")
    submitted = f.held_plan("submitted")
    kh = Unit.objects.get(code="KH")

    with pytest.raises(NotInScope):
        remind(document_id=draft.pk)  # never submitted: the Office does not see it
    for bad in (999_999, "x", None):
        with pytest.raises((NotInScope, InvalidInput)):
            remind(unit_id=bad)
    with pytest.raises(InvalidInput):
        remind(unit_id=kh.pk, document_id=submitted.pk)
    with pytest.raises(ActionForbidden):
        services.followup_remind(
            user=h.person(h.MINISTER), document_id=submitted.pk, message=MESSAGE
        )
    with pytest.raises(ActionForbidden):
        services.followup_remind(user=h.person(h.REVIEWER), unit_id=kh.pk, message=MESSAGE)

    assert not reminders().exists()
    denied = AuditEvent.objects.filter(action=audit.DENIED).order_by("seq")
    assert [(e.actor.username, e.data["status"]) for e in denied] == [
        (f.CLERK, 404),
        (f.CLERK, 404),
        (f.CLERK, 404),
        (h.MINISTER, 403),
        (h.REVIEWER, 403),
    ]


def test_the_reminder_form_sends_or_says_what_is_wrong(client):
    document = f.held_plan("submitted")
    url = reverse("followup:remind_document", args=[document.pk])
    client.force_login(h.person(f.CLERK))

    page = client.get(url)
    assert page.status_code == 200
    assert document.title in page.content.decode()

    refused = client.post(url, {"message": "  "})
    assert refused.status_code == 400
    with translation.override("vi"):  # the language the page is served in
        assert _("Write the message of the reminder.") in refused.content.decode()

    sent = client.post(url, {"message": MESSAGE})
    assert sent.status_code == 302 and sent.url == reverse("followup:page")
    assert reminders().count() == 1

    unit_url = reverse("followup:remind_unit", args=[Unit.objects.get(code="KH").pk])
    assert client.get(unit_url).status_code == 200
    assert client.post(unit_url, {"message": MESSAGE}).status_code == 302
    assert client.post(unit_url, {"message": "\x00"}).status_code == 400
    assert reminders().count() == 3  # the unit's event and its document's
