"""The engine's services, driven with five-year plans: every transition, its guards,
revisions, numbering, signatures, audit events, mail and the viewflow process."""

import datetime as dt
from unittest.mock import patch

import pytest
from django.conf import settings
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import translation
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from delegation.models import DelegatedSignature, Delegation
from organisation import roles
from organisation.models import Unit
from planning import services as planning
from tests.factories import PersonFactory
from tests.workflows import helpers as h
from workflows import services
from workflows.exceptions import (
    ActionForbidden,
    AlreadyHandled,
    InvalidInput,
    NotEditable,
    NotInScope,
    StaleDocument,
)
from workflows.models import AuditEvent, Comment, Document, RegisterCounter, Revision

pytestmark = pytest.mark.usefixtures("demo_org")

DENIED = "workflows.document.access_denied"


def events(document, action=None):
    qs = AuditEvent.objects.filter(document=document).order_by("created_at", "pk")
    if action:
        qs = qs.filter(action=action)
    return list(qs)


def actions(document):
    return [e.action for e in events(document)]


def on(day):
    """Freeze the date the signing service reads (timezone.localdate)."""
    return patch("django.utils.timezone.localdate", return_value=day)


# --- Transitions ----------------------------------------------------------------------


def test_submit_moves_a_complete_draft_to_review_and_freezes_revision_1():
    document = h.make_plan("draft")
    version = document.version

    h.act(document, "submit", h.DRAFTER)

    document.refresh_from_db()
    assert document.state == "submitted"
    assert document.version == version + 1
    assert document.revision_count == 1
    revision = Revision.objects.get(document=document)
    assert revision.number == 1
    assert revision.created_by.username == h.DRAFTER
    assert revision.content["title"] == document.title
    assert revision.content["sections"]["basis"] == h.SECTIONS["basis"]
    assert len(revision.content["tables"]["tasks"]) == 1
    assert h.task_statuses(document) == [("draft", STATUS.DONE), ("review", STATUS.NEW)]


def test_return_from_review_needs_a_comment_keeps_it_and_reopens_the_draft():
    document = h.make_plan("submitted")

    h.act(document, "return", h.REVIEWER, comment="  Bổ sung hiện trạng.  ")

    document.refresh_from_db()
    assert document.state == "returned"
    comment = Comment.objects.get(document=document)
    assert comment.body == "Bổ sung hiện trạng."
    assert comment.action == "return"
    assert comment.revision.number == 1
    assert comment.author.username == h.REVIEWER
    event = events(document, "planning.plan.returned")[0]
    assert event.comment == "Bổ sung hiện trạng."
    assert h.task_statuses(document) == [
        ("draft", STATUS.DONE),
        ("review", STATUS.DONE),
        ("draft", STATUS.NEW),
    ]


def test_a_comment_is_stored_in_nfc_without_nul_characters():
    """PostgreSQL refuses NUL in text: a caller that is not a form (an import, a script)
    must not turn a comment into a database error, nor store decomposed text."""
    document = h.make_plan("submitted")

    h.act(
        document,
        "return",
        h.REVIEWER,
        comment="Bo\x00 sung \u0301  hie\u0302\u0323n tra\u0323ng\x00",
    )

    assert Comment.objects.get(document=document).body == "Bo sung \u0301  hiện trạng"
    assert events(document, "planning.plan.returned")[0].comment == "Bo sung \u0301  hiện trạng"


@pytest.mark.parametrize("comment", ["", "   \n\t ", "\x00\x00 "])
def test_a_return_without_a_comment_is_refused_and_changes_nothing(comment):
    document = h.make_plan("submitted")
    before = actions(document)

    with pytest.raises(InvalidInput) as refused:
        h.act(document, "return", h.REVIEWER, comment=comment)

    assert refused.value.problems  # says what to do
    document.refresh_from_db()
    assert document.state == "submitted"
    assert actions(document) == before
    assert not Comment.objects.filter(document=document).exists()
    assert h.open_task(document).flow_task.name == "review"


@pytest.mark.parametrize("comment", ["", "Thống nhất, trình Bộ trưởng ký."])
def test_endorse_takes_an_optional_comment(comment):
    document = h.make_plan("submitted")

    h.act(document, "endorse", h.REVIEWER, comment=comment)

    document.refresh_from_db()
    assert document.state == "endorsed"
    assert h.open_task(document).flow_task.name == "sign"
    saved = list(Comment.objects.filter(document=document).values_list("body", "action"))
    assert saved == ([(comment, "endorse")] if comment else [])
    assert events(document, "planning.plan.endorsed")[0].comment == comment


def test_the_signer_returns_with_a_comment_and_the_draft_reopens():
    document = h.make_plan("endorsed")

    with pytest.raises(InvalidInput):
        h.act(document, "return", h.MINISTER, comment="")
    h.act(document, "return", h.MINISTER, comment="Làm rõ nguồn vốn.")

    document.refresh_from_db()
    assert document.state == "returned"
    assert document.number is None and document.number_text == ""
    assert Comment.objects.get(document=document).action == "return"
    assert h.task_statuses(document)[-2:] == [("sign", STATUS.DONE), ("draft", STATUS.NEW)]


def test_sign_then_issue_gives_the_document_number_date_signer_and_hash():
    document = h.make_plan("endorsed")

    with on(dt.date(2026, 3, 2)):
        h.act(document, "sign", h.MINISTER)
        document.refresh_from_db()
        # Signed: the signer and the revision's hash kept, no number before the Office's.
        assert (document.state, document.number, document.number_text) == ("signed", None, "")
        assert document.signed_by.username == h.MINISTER
        h.act(document, "issue", h.CLERK)

    document.refresh_from_db()
    revision = Revision.objects.get(document=document)
    assert document.state == "issued"
    assert document.number_text == "01/KH-UBDT"
    assert (document.register, document.number, document.number_year) == ("KH", 1, 2026)
    assert document.issued_on == dt.date(2026, 3, 2)
    assert document.signed_by.username == h.MINISTER
    assert document.signer_name == "Đỗ Văn Hải"
    assert document.signed_revision == revision
    assert document.signed_sha256 == revision.sha256 == h.canonical_sha256(revision.content)


# --- Guards ---------------------------------------------------------------------------


def test_submitting_an_incomplete_plan_lists_the_problems_and_changes_nothing():
    document = h.create_plan()  # sections empty, no task
    version = document.version
    before = actions(document)

    with translation.override("en"), pytest.raises(InvalidInput) as refused:
        h.act(document, "submit", h.DRAFTER)

    # Five required sections and the missing task, each its own message.
    assert refused.value.problems == [
        "The section “Basis” must be filled in.",
        "The section “Current situation” must be filled in.",
        "The section “General objective” must be filled in.",
        "The section “Tasks and solutions” must be filled in.",
        "The section “Projected funds” must be filled in.",
        "A plan needs at least one task.",
    ]
    document.refresh_from_db()
    assert (document.state, document.version, document.revision_count) == ("draft", version, 0)
    assert not Revision.objects.filter(document=document).exists()
    assert actions(document) == before
    assert h.open_task(document).flow_task.name == "draft"


def test_acting_on_a_finished_task_is_already_handled():
    document = h.make_plan("draft")
    draft_task = h.open_task(document)
    h.act(document, "submit", h.DRAFTER)
    before = actions(document)

    with pytest.raises(AlreadyHandled):
        services.document_act(
            user=h.person(h.DRAFTER),
            document_id=document.pk,
            action="submit",
            task_id=draft_task.pk,
        )

    document.refresh_from_db()
    assert document.state == "submitted"
    assert document.revision_count == 1
    assert actions(document) == before


def test_endorsing_twice_is_already_handled():
    document = h.make_plan("submitted")
    review_task = h.open_task(document)
    reviewer = h.person(h.REVIEWER)
    services.document_act(
        user=reviewer, document_id=document.pk, action="endorse", task_id=review_task.pk
    )

    with pytest.raises(AlreadyHandled):
        services.document_act(
            user=reviewer, document_id=document.pk, action="endorse", task_id=review_task.pk
        )
    assert len(events(document, "planning.plan.endorsed")) == 1
    assert Task.objects.filter(process_id=document.process_id, flow_task_type="HUMAN").count() == 3


def test_a_stale_version_is_refused_and_changes_nothing():
    document = h.make_plan("submitted")
    before = actions(document)

    with pytest.raises(StaleDocument):
        h.act(document, "endorse", h.REVIEWER, version=document.version - 1)

    document.refresh_from_db()
    assert document.state == "submitted"
    assert actions(document) == before
    # The current version goes through.
    h.act(document, "endorse", h.REVIEWER, version=document.version)
    document.refresh_from_db()
    assert document.state == "endorsed"


def test_a_task_of_another_documents_process_is_not_in_scope():
    document = h.make_plan("submitted")
    other = h.make_plan("submitted", title="Kế hoạch khác")
    foreign_task = h.open_task(other)

    with pytest.raises(NotInScope):
        services.document_act(
            user=h.person(h.REVIEWER),
            document_id=document.pk,
            action="endorse",
            task_id=foreign_task.pk,
        )

    document.refresh_from_db()
    other.refresh_from_db()
    assert (document.state, other.state) == ("submitted", "submitted")
    denial = events(document, DENIED)[-1]
    assert h.own_data(denial) == {"attempted": "document_act", "status": 404}


@pytest.mark.parametrize("state", ["submitted", "endorsed", "issued"])
def test_only_drafts_and_returned_documents_can_be_edited(state):
    document = h.make_plan(state)
    before = (document.version, h.task_statuses(document), actions(document))

    with pytest.raises(NotEditable):
        h.fill(document, title="Sửa sau khi đã trình")

    document.refresh_from_db()
    assert document.title != "Sửa sau khi đã trình"
    assert (document.version, h.task_statuses(document), actions(document)) == before


def test_a_returned_document_can_be_edited_and_resubmitted_as_revision_2():
    document = h.make_plan("returned")
    h.fill(document, title="Kế hoạch đã chỉnh sửa")
    h.act(document, "submit", h.DRAFTER)

    document.refresh_from_db()
    first, second = Revision.objects.filter(document=document).order_by("number")
    assert (first.number, second.number) == (1, 2)
    assert document.revision_count == 2
    assert second.content["title"] == "Kế hoạch đã chỉnh sửa"
    assert first.content["title"] != second.content["title"]
    for revision in (first, second):
        assert revision.sha256 == h.canonical_sha256(revision.content)
    assert first.sha256 != second.sha256
    assert events(document, "planning.plan.submitted")[-1].revision_number == 2


@pytest.mark.parametrize("bad_id", ["abc", "12; DROP TABLE"])
def test_a_malformed_document_id_is_not_in_scope(bad_id):
    with pytest.raises(NotInScope):
        services.document_act(user=h.person(h.DRAFTER), document_id=bad_id, action="submit")


# --- Revisions ------------------------------------------------------------------------


def test_each_submission_freezes_the_content_as_it_was_then():
    document = h.make_plan("submitted")
    revision = Revision.objects.get(document=document)
    frozen = dict(revision.content)
    h.act(document, "return", h.REVIEWER, comment="Sửa tên nhiệm vụ.")
    h.fill(document, tasks=[h.five_year_task(name="Tên mới")])

    revision.refresh_from_db()
    assert revision.content == frozen
    assert revision.sha256 == h.canonical_sha256(frozen)
    assert revision.content["tables"]["tasks"][0]["name"] != "Tên mới"


def test_the_issued_document_records_the_signed_revision_and_its_hash():
    document = h.make_plan("returned")
    h.fill(document, title="Bản trình lần hai")
    h.act(document, "submit", h.DRAFTER)
    h.act(document, "endorse", h.REVIEWER)
    h.sign_and_issue(document, h.MINISTER)

    document.refresh_from_db()
    latest = Revision.objects.get(document=document, number=2)
    assert document.signed_revision == latest
    assert document.signed_sha256 == h.canonical_sha256(latest.content)
    assert latest.content["title"] == "Bản trình lần hai"
    issued = events(document, "planning.plan.issued")[0]
    assert issued.revision_number == 2
    assert issued.data["sha256"] == document.signed_sha256
    assert issued.data["number"] == document.number_text


# --- Numbering ------------------------------------------------------------------------


@pytest.mark.usefixtures("vice_minister_delegation")
def test_issued_plans_are_numbered_01_02_in_the_year():
    first = h.make_plan("endorsed", title="Kế hoạch thứ nhất")
    second = h.make_plan("endorsed", title="Kế hoạch thứ hai")

    with on(dt.date(2026, 5, 4)):
        h.sign_and_issue(first, h.MINISTER)
        h.sign_and_issue(second, h.VICE_MINISTER)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.number_text == "01/KH-UBDT"
    assert second.number_text == "02/KH-UBDT"
    assert RegisterCounter.objects.get(register="KH", year=2026).last_number == 2


def test_numbers_restart_at_01_each_year():
    documents = [h.make_plan("endorsed", title=f"Kế hoạch {i}") for i in range(3)]

    with on(dt.date(2026, 12, 31)):
        h.sign_and_issue(documents[0], h.MINISTER)
        h.sign_and_issue(documents[1], h.MINISTER)
    with on(dt.date(2027, 1, 1)):
        h.sign_and_issue(documents[2], h.MINISTER)

    numbered = [
        Document.objects.values_list("number_text", "number_year", "issued_on").get(pk=d.pk)
        for d in documents
    ]
    assert numbered == [
        ("01/KH-UBDT", 2026, dt.date(2026, 12, 31)),
        ("02/KH-UBDT", 2026, dt.date(2026, 12, 31)),
        ("01/KH-UBDT", 2027, dt.date(2027, 1, 1)),
    ]


def test_the_database_rejects_a_second_document_with_the_same_number():
    with on(dt.date(2026, 6, 1)):
        issued = h.make_plan("issued")
    other = h.make_plan("draft", title="Kế hoạch khác")

    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.filter(pk=other.pk).update(
            register=issued.register, number_year=issued.number_year, number=issued.number
        )

    # The same number in another year is fine.
    Document.objects.filter(pk=other.pk).update(
        register=issued.register, number_year=issued.number_year + 1, number=issued.number
    )


# --- Signers --------------------------------------------------------------------------


@pytest.mark.usefixtures("vice_minister_delegation")
@pytest.mark.parametrize(
    ("signer", "title", "on_behalf"),
    [
        (h.MINISTER, "BỘ TRƯỞNG, CHỦ NHIỆM", False),
        (h.VICE_MINISTER, "THỨ TRƯỞNG, PHÓ CHỦ NHIỆM", True),
    ],
)
def test_the_signer_title_and_signature_on_behalf(signer, title, on_behalf):
    document = h.make_plan("issued", signer=signer)

    assert document.signed_by.username == signer
    assert document.signer_title == title
    assert document.signed_on_behalf is on_behalf
    assert events(document, "planning.plan.issued")[0].data["on_behalf"] is on_behalf
    issued = events(document, "planning.plan.signed")[0].data
    assert issued["on_behalf"] is on_behalf
    # The signature's record keeps the delegation that allowed a signature "KT.".
    if on_behalf:
        delegation = Delegation.objects.get(delegate__username=signer)
        assert document.delegated_signature.delegation == delegation
        assert (issued["delegation"], issued["decision_reference"]) == (
            delegation.pk,
            delegation.decision_reference,
        )
    else:
        assert "delegation" not in issued
        assert not DelegatedSignature.objects.filter(document=document).exists()


# --- Audit ----------------------------------------------------------------------------


@pytest.mark.usefixtures("vice_minister_delegation")
def test_each_action_writes_exactly_one_event_with_its_code_and_states():
    document = h.create_plan()
    assert [(e.action, e.from_state, e.to_state) for e in events(document)] == [
        ("planning.plan.created", "", "draft"),
    ]

    def new_events(step):
        seen = AuditEvent.objects.filter(document=document).count()
        step()
        return [
            (e.action, e.actor.username, e.from_state, e.to_state, e.revision_number)
            for e in events(document)[seen:]
        ]

    assert new_events(lambda: h.fill(document)) == [
        ("planning.plan.edited", h.DRAFTER, "draft", "draft", None)
    ]
    assert new_events(lambda: h.act(document, "submit", h.DRAFTER)) == [
        ("planning.plan.submitted", h.DRAFTER, "draft", "submitted", 1)
    ]
    assert new_events(
        lambda: services.comment_add(
            user=h.person(h.REVIEWER), document_id=document.pk, body="Góp ý mục hiện trạng."
        )
    ) == [("planning.plan.commented", h.REVIEWER, "submitted", "submitted", 1)]
    assert new_events(lambda: h.act(document, "return", h.REVIEWER, comment="Sửa.")) == [
        ("planning.plan.returned", h.REVIEWER, "submitted", "returned", 1)
    ]
    assert new_events(lambda: h.fill(document, title="Bản sửa")) == [
        ("planning.plan.edited", h.DRAFTER, "returned", "returned", None)
    ]
    assert new_events(lambda: h.act(document, "submit", h.DRAFTER)) == [
        ("planning.plan.submitted", h.DRAFTER, "returned", "submitted", 2)
    ]
    assert new_events(lambda: h.act(document, "endorse", h.REVIEWER)) == [
        ("planning.plan.endorsed", h.REVIEWER, "submitted", "endorsed", 2)
    ]
    assert new_events(lambda: h.act(document, "return", h.MINISTER, comment="Làm lại.")) == [
        ("planning.plan.returned", h.MINISTER, "endorsed", "returned", 2)
    ]
    h.act(document, "submit", h.DRAFTER)
    h.act(document, "endorse", h.REVIEWER)
    # The signature, then the Office's issue with its number and its dispatches.
    assert new_events(lambda: h.act(document, "sign", h.VICE_MINISTER)) == [
        ("planning.plan.signed", h.VICE_MINISTER, "endorsed", "signed", 3),
    ]
    assert new_events(lambda: h.act(document, "issue", h.CLERK)) == [
        ("planning.plan.issued", h.CLERK, "signed", "issued", 3),
        ("issuance.dispatch.sent", h.CLERK, "issued", "issued", None),
        ("issuance.dispatch.sent", h.CLERK, "issued", "issued", None),
    ]
    assert DENIED not in actions(document)


def test_an_event_records_the_actors_unit_roles_and_comment():
    document = h.make_plan("submitted")
    review_task = h.open_task(document)
    h.act(document, "return", h.REVIEWER, comment="Cần bổ sung.", ip="10.0.0.7")

    event = events(document, "planning.plan.returned")[0]
    assert event.actor_name == "Trần Thị Bình"
    assert event.unit_code == "KH"
    assert event.roles == roles.PLANNING_REVIEWER
    assert event.comment == "Cần bổ sung."
    assert event.ip == "10.0.0.7"
    document.refresh_from_db()
    assert h.own_data(event) == {"task": review_task.pk, "due_on": document.due_on.isoformat()}
    assert event.revision_number == 1


def test_a_refused_action_is_recorded_as_access_denied_with_403():
    document = h.make_plan("submitted")

    with pytest.raises(ActionForbidden):
        h.act(document, "endorse", h.DRAFTER)  # sees it, may not review it

    denial = events(document, DENIED)
    assert len(denial) == 1
    assert denial[0].actor.username == h.DRAFTER
    assert h.own_data(denial[0]) == {"attempted": "document_act", "status": 403}
    document.refresh_from_db()
    assert document.state == "submitted"


def test_an_attempt_outside_ones_scope_is_recorded_as_access_denied_with_404():
    document = h.make_plan("draft")

    with pytest.raises(NotInScope):
        h.act(document, "submit", "soanthao.tccb")
    with pytest.raises(NotInScope):
        services.comment_add(user=h.person("vanthu.vp"), document_id=document.pk, body="?")

    denials = [(e.actor.username, h.own_data(e)) for e in events(document, DENIED)]
    assert denials == [
        ("soanthao.tccb", {"attempted": "document_act", "status": 404}),
        ("vanthu.vp", {"attempted": "comment_add", "status": 404}),
    ]


def test_refused_edits_and_creations_are_recorded_too():
    document = h.make_plan("submitted")
    with pytest.raises(ActionForbidden):
        h.fill(document, user=h.person(h.REVIEWER))
    with pytest.raises(ActionForbidden):
        planning.plan_create(
            user=h.person(h.REVIEWER), kind="five_year_plan", title="Không được", period_start=2026
        )

    assert [h.own_data(e) for e in events(document, DENIED)] == [
        {"attempted": "plan_update", "status": 403}
    ]
    creation = AuditEvent.objects.get(action=DENIED, document=None)
    assert creation.actor.username == h.REVIEWER
    assert creation.data == {"attempted": "plan_create", "status": 403}


def test_a_comment_is_audited_and_saved_on_the_latest_revision():
    document = h.make_plan("endorsed")

    comment = services.comment_add(
        user=h.person(h.MINISTER),
        document_id=document.pk,
        body="Xem lại kinh phí nhiệm vụ 1.",
        anchor="row:tasks:abc",
    )

    assert comment.revision.number == 1
    assert comment.anchor == "row:tasks:abc"
    event = events(document, "planning.plan.commented")[0]
    assert (event.from_state, event.to_state, event.comment) == (
        "endorsed",
        "endorsed",
        "Xem lại kinh phí nhiệm vụ 1.",
    )
    assert h.own_data(event) == {"anchor": "row:tasks:abc"}


def test_an_empty_comment_is_refused_with_a_message_about_comments():
    document = h.make_plan("submitted")
    with translation.override("en"), pytest.raises(InvalidInput) as refused:
        services.comment_add(user=h.person(h.REVIEWER), document_id=document.pk, body="   ")
    assert refused.value.problems
    assert "return" not in " ".join(refused.value.problems).lower()


# --- Mail -----------------------------------------------------------------------------


def test_after_submit_each_reviewer_of_kh_gets_one_mail_with_a_link(
    django_capture_on_commit_callbacks,
):
    kh = Unit.objects.get(code="KH")
    PersonFactory(username="thamdinh2.kh", unit=kh, role=roles.PLANNING_REVIEWER)
    PersonFactory(username="nghiviec.kh", unit=kh, role=roles.PLANNING_REVIEWER, is_active=False)
    PersonFactory(
        username="thamdinh.tccb", unit=Unit.objects.get(code="TCCB"), role=roles.PLANNING_REVIEWER
    )
    document = h.make_plan("draft")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        h.act(document, "submit", h.DRAFTER)

    assert len(callbacks) == 1
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == [
        "thamdinh.kh@demo.ubdt.gov.vn",
        "thamdinh2.kh@example.gov.vn",
    ]
    link = settings.SITE_URL.rstrip("/") + f"/documents/{document.pk}/"
    for message in mail.outbox:
        assert len(message.to) == 1
        assert link in message.body
        assert document.title[:50] in message.subject


def test_mail_subject_and_body_carry_the_title_as_typed(django_capture_on_commit_callbacks):
    """Subjects were rendered with HTML escaping: `&quot;A&quot; &amp; &lt;B&gt;`."""
    title = 'Kế hoạch "A" & <B> năm 2026'
    document = h.make_plan("draft", title=title)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        h.act(document, "submit", h.DRAFTER)
    assert mail.outbox
    for message in mail.outbox:
        assert title in message.subject and title in message.body
        assert "&quot;" not in message.subject + message.body
        assert "&amp;" not in message.subject + message.body
        assert "\n" not in message.subject
        assert not getattr(message, "alternatives", None)


@pytest.mark.parametrize(
    ("state", "action", "username", "expected"),
    [
        ("submitted", "endorse", h.REVIEWER, ["botruong", "thutruong"]),
        ("submitted", "return", h.REVIEWER, ["soanthao.tttt"]),
        ("endorsed", "return", h.MINISTER, ["soanthao.tttt"]),
        # Signed: the Office's clerk issues it; issued: the drafter hears, and the
        # recipient units (the drafting and reviewing units) receive the PDF.
        ("endorsed", "sign", h.MINISTER, ["vanthu.vp"]),
        ("signed", "issue", h.CLERK, ["quantri", "soanthao.tttt", "soanthao.tttt", "thamdinh.kh"]),
    ],
)
def test_mail_goes_to_whoever_holds_the_document_next(
    django_capture_on_commit_callbacks, state, action, username, expected
):
    document = h.make_plan(state)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        h.act(document, action, username, comment="Ý kiến.")

    assert sorted(m.to[0].split("@")[0] for m in mail.outbox) == expected
    for message in mail.outbox:
        # A recipient unit may not read the document itself: its mail opens its inbox.
        assert f"/documents/{document.pk}/" in message.body or "/incoming/" in message.body


def test_no_mail_when_the_action_fails(django_capture_on_commit_callbacks):
    incomplete = h.create_plan(title="Chưa đủ nội dung")
    stale = h.make_plan("submitted")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(InvalidInput):
            h.act(incomplete, "submit", h.DRAFTER)
        with pytest.raises(StaleDocument):
            h.act(stale, "endorse", h.REVIEWER, version=1)
        with pytest.raises(ActionForbidden):
            h.act(stale, "endorse", h.DRAFTER)

    assert callbacks == []
    assert mail.outbox == []


def test_no_mail_when_the_surrounding_transaction_rolls_back(django_capture_on_commit_callbacks):
    document = h.make_plan("draft")
    mail.outbox.clear()

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        h.act(document, "submit", h.DRAFTER)
        raise RuntimeError("something after the action failed")

    assert callbacks == []
    assert mail.outbox == []
    document.refresh_from_db()
    assert document.state == "draft"


# --- The viewflow process -------------------------------------------------------------


def test_after_sign_the_process_is_done_and_no_task_is_open():
    document = h.make_plan("issued")

    document.process.refresh_from_db()
    assert document.process.status == STATUS.DONE
    assert document.process.finished is not None
    assert h.open_task(document) is None
    assert not Task.objects.filter(
        process_id=document.process_id, status__in=[STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]
    ).exists()
    assert h.task_statuses(document) == [
        ("draft", STATUS.DONE),
        ("review", STATUS.DONE),
        ("sign", STATUS.DONE),
        ("issue", STATUS.DONE),
    ]


@pytest.mark.parametrize(
    ("state", "returner"), [("submitted", h.REVIEWER), ("endorsed", h.MINISTER)]
)
def test_after_a_return_the_open_task_is_a_new_draft_task(state, returner):
    document = h.make_plan(state)
    first_draft = Task.objects.filter(process_id=document.process_id).order_by("created", "pk")
    first_draft = next(t for t in first_draft if t.flow_task.name == "draft")

    h.act(document, "return", returner, comment="Chỉnh sửa.")

    task = h.open_task(document)
    assert task.flow_task.name == "draft"
    assert task.status == STATUS.NEW
    assert task.pk != first_draft.pk
    first_draft.refresh_from_db()
    assert first_draft.status == STATUS.DONE
    document.process.refresh_from_db()
    assert document.process.status != STATUS.DONE
    # Only one task is open at a time.
    assert (
        Task.objects.filter(process_id=document.process_id, status__in=services.OPEN_TASK).count()
        == 1
    )


@pytest.mark.usefixtures("vice_minister_delegation")
def test_each_done_human_task_is_assigned_to_whoever_acted():
    document = h.make_plan("issued", signer=h.VICE_MINISTER)

    done = [
        (t.flow_task.name, t.owner.username)
        for t in Task.objects.filter(process_id=document.process_id).order_by("created", "pk")
        if t.flow_task.name in ("draft", "review", "sign")
    ]
    assert done == [("draft", h.DRAFTER), ("review", h.REVIEWER), ("sign", h.VICE_MINISTER)]
