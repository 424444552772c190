"""The nightly reminder job (reminders.services.reminders_send, run by the huey task):
its exact schedule over three weeks, at most once, digests only, escalation, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organisation.models import Person, Unit
from reminders import services
from reminders.models import Kind, ReminderLog, ReminderSettings
from tests.factories import PersonFactory
from workflows.models import AuditEvent
from workflows.notifications import holders, holders_by_document

from .helpers import ENGLISH, by_recipient, english, kind_of, run_on, summary, task

D = dt.date
TITLES = ("A", "A2", "B", "C", "D")


@pytest.fixture
def office(demo_org):
    """Heads of the Planning Department and of the Office (told of late signatures);
    the Minister reads digests only."""
    heads = {}
    for username, code in (("sonpv", "KH"), ("quangdv", "VP")):
        unit = Unit.objects.get(code=code)
        heads[code] = PersonFactory(username=username, unit=unit)
        Unit.objects.filter(pk=unit.pk).update(head=heads[code])
    config = ReminderSettings.load()
    config.leadership_unit = Unit.objects.get(code="VP")
    config.save()
    services.preference_set(person=Person.objects.get(username="botruong"), digest_only=True)
    return heads


@pytest.fixture
def tasks(office):
    return {
        "A": task("A", state="submitted", due_on=D(2026, 11, 25)),
        "A2": task("A2", state="submitted", due_on=D(2026, 11, 25)),
        "B": task("B", state="endorsed", due_on=D(2026, 11, 26)),
        "C": task("C", state="draft", due_on=D(2026, 12, 4)),
        "D": task("D", state="submitted", due_on=D(2026, 12, 3)),
    }


R, S, M, V, DR = "thamdinh.kh", "sonpv", "botruong", "thutruong", "soanthao.tttt"
Q = "quangdv"
DIGESTS_FROM_1_DEC = [
    (M, "digest", ("B",)),
    (Q, "digest", ("B",)),
    (S, "digest", ("A", "A2")),
    (V, "digest", ("B",)),
]
# Reviews A and A2 due Wed 25/11, signature B due Thu 26/11, review D due Thu 03/12,
# draft C due Fri 04/12; n = 2, m = 3. Tue 24/11/2026 is a public holiday (Ngày Văn hóa
# Việt Nam), so B's reminder two working days ahead falls on Mon 23/11. The Minister (M)
# reads digests only. Nothing on Saturdays, Sundays and the holiday.
SCHEDULE = {
    D(2026, 11, 16): [],
    D(2026, 11, 17): [],
    D(2026, 11, 18): [],
    D(2026, 11, 19): [],
    D(2026, 11, 20): [(R, "before", ("A",)), (R, "before", ("A2",))],
    D(2026, 11, 21): [],
    D(2026, 11, 22): [],
    D(2026, 11, 23): [(M, "digest", ("B",)), (V, "before", ("B",))],
    D(2026, 11, 24): [],
    D(2026, 11, 25): [(R, "due", ("A",)), (R, "due", ("A2",))],
    D(2026, 11, 26): [(M, "digest", ("B",)), (R, "digest", ("A", "A2")), (V, "due", ("B",))],
    D(2026, 11, 27): [(M, "digest", ("B",)), (R, "digest", ("A", "A2")), (V, "digest", ("B",))],
    D(2026, 11, 28): [],
    D(2026, 11, 29): [],
    D(2026, 11, 30): [
        (M, "digest", ("B",)),
        (S, "escalated", ("A", "A2")),
        (R, "digest", ("A", "A2")),
        (V, "digest", ("B",)),
    ],
    D(2026, 12, 1): [
        (M, "digest", ("B",)),
        (Q, "escalated", ("B",)),
        (S, "digest", ("A", "A2")),
        (R, "before", ("D",)),
        (R, "digest", ("A", "A2")),
        (V, "digest", ("B",)),
    ],
    D(2026, 12, 2): sorted(
        [*DIGESTS_FROM_1_DEC, (DR, "before", ("C",)), (R, "digest", ("A", "A2"))]
    ),
    D(2026, 12, 3): sorted([*DIGESTS_FROM_1_DEC, (R, "due", ("D",)), (R, "digest", ("A", "A2"))]),
    D(2026, 12, 4): sorted(
        [*DIGESTS_FROM_1_DEC, (DR, "due", ("C",)), (R, "digest", ("A", "A2", "D"))]
    ),
    D(2026, 12, 5): [],
    D(2026, 12, 6): [],
}


def test_schedule_over_three_weeks_and_nothing_twice(tasks, django_capture_on_commit_callbacks):
    sent = {}
    again = {}
    for day in SCHEDULE:
        sent[day] = summary(run_on(day, django_capture_on_commit_callbacks), TITLES)
        again[day] = run_on(day, django_capture_on_commit_callbacks)
    assert sent == SCHEDULE
    # A second run on the same day (a retry, a second worker, a run by hand) sends nothing.
    assert again == dict.fromkeys(SCHEDULE, [])


def test_one_digest_a_day_lists_everything_overdue_in_sections(
    tasks, django_capture_on_commit_callbacks
):
    run_on(D(2026, 12, 3), django_capture_on_commit_callbacks)  # heads told of A and A2
    messages = run_on(D(2026, 12, 4), django_capture_on_commit_callbacks)
    by_person = by_recipient(messages)
    reviewer = [m for m in by_person[R] if kind_of(m) == "digest"]
    assert len(reviewer) == 1
    body = english(reviewer[0])
    assert "Overdue (3):" in body
    assert "Due on 25/11/2026: overdue by 7 working days." in body
    assert "Due on 03/12/2026: overdue by 1 working day." in body
    head = english(by_person[S][0])
    assert "Overdue in your unit (2):" in head and "Overdue (" not in head
    # Vietnamese first, English below; plain text as typed.
    assert reviewer[0].body.index(ENGLISH) > reviewer[0].body.index("- A (")


def test_digest_only_folds_reminders_into_the_digest(tasks, django_capture_on_commit_callbacks):
    messages = run_on(D(2026, 11, 23), django_capture_on_commit_callbacks)
    minister = by_recipient(messages)[M]
    assert len(minister) == 1
    body = english(minister[0])
    assert "Due soon (1):" in body and "Due on 26/11/2026: 2 working days left." in body
    assert ReminderLog.objects.filter(
        person__username="botruong", kind=Kind.BEFORE, day=D(2026, 11, 23)
    ).exists()


def test_escalation_of_a_signature_goes_nowhere_without_a_leadership_unit(
    tasks, django_capture_on_commit_callbacks
):
    config = ReminderSettings.load()
    config.leadership_unit = None
    config.save()
    messages = run_on(D(2026, 12, 1), django_capture_on_commit_callbacks)
    assert Q not in by_recipient(messages)
    assert not ReminderLog.objects.filter(kind=Kind.ESCALATED, document=tasks["B"]).exists()


def test_escalation_waits_for_a_head_and_is_told_once(tasks, django_capture_on_commit_callbacks):
    Unit.objects.filter(code="KH").update(head=None)
    run_on(D(2026, 11, 30), django_capture_on_commit_callbacks)
    assert not ReminderLog.objects.filter(kind=Kind.ESCALATED).exists()
    Unit.objects.filter(code="KH").update(head=Person.objects.get(username="sonpv"))
    late = summary(run_on(D(2026, 12, 1), django_capture_on_commit_callbacks), TITLES)
    assert (S, "escalated", ("A", "A2")) in late
    later = summary(run_on(D(2026, 12, 2), django_capture_on_commit_callbacks), TITLES)
    assert (S, "digest", ("A", "A2")) in later
    assert [k for _, k, _ in later if k == "escalated"] == []


def test_a_missed_run_catches_up_the_reminder_before_the_due_date(
    tasks, django_capture_on_commit_callbacks
):
    # No run on Friday 20/11: Monday 23/11 (1 working day left) still reminds A and A2.
    monday = summary(run_on(D(2026, 11, 23), django_capture_on_commit_callbacks), TITLES)
    assert (R, "before", ("A",)) in monday and (R, "before", ("A2",)) in monday


def test_a_task_sent_back_and_resubmitted_is_reminded_again(
    tasks, django_capture_on_commit_callbacks
):
    run_on(D(2026, 11, 20), django_capture_on_commit_callbacks)
    # Returned and submitted again: a new review step with a new due date.
    type(tasks["A"]).objects.filter(pk=tasks["A"].pk).update(due_on=D(2026, 11, 27))
    again = summary(run_on(D(2026, 11, 25), django_capture_on_commit_callbacks), TITLES)
    assert (R, "before", ("A",)) in again


def test_changed_settings_move_the_schedule(tasks, django_capture_on_commit_callbacks):
    config = ReminderSettings.load()
    config.days_before, config.escalate_after = 0, 1
    config.save()
    assert summary(run_on(D(2026, 11, 20), django_capture_on_commit_callbacks), TITLES) == []
    thursday = summary(run_on(D(2026, 11, 26), django_capture_on_commit_callbacks), TITLES)
    assert (S, "escalated", ("A", "A2")) in thursday


def test_every_reminder_escalation_and_digest_is_an_audit_event(
    tasks, django_capture_on_commit_callbacks
):
    run_on(D(2026, 11, 30), django_capture_on_commit_callbacks)
    last = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    run_on(D(2026, 12, 1), django_capture_on_commit_callbacks)
    events = list(AuditEvent.objects.filter(seq__gt=last).order_by("seq"))
    by_action = {}
    for event in events:
        by_action.setdefault(event.action, []).append(event)
    reminded = by_action["reminders.task.reminded"]
    assert [(e.document_id, e.data["kind"]) for e in reminded] == [(tasks["D"].pk, "before")]
    assert reminded[0].data["people"] == [Person.objects.get(username=R).pk]
    escalated = by_action["reminders.task.escalated"]
    assert [(e.document_id, e.data["head"], e.data["overdue_days"]) for e in escalated] == [
        (tasks["B"].pk, Person.objects.get(username=Q).pk, 3)
    ]
    digests = {e.data["person"]: e.data["documents"] for e in by_action["reminders.digest.sent"]}
    people = {p.username: p.pk for p in Person.objects.all()}
    assert digests == {
        people[R]: [tasks["A"].pk, tasks["A2"].pk],
        people[S]: [tasks["A"].pk, tasks["A2"].pk],
        people[M]: [tasks["B"].pk],
        people[V]: [tasks["B"].pk],
    }
    from workflows.audit import verify_chain

    assert verify_chain().ok


def test_nothing_on_a_day_off(tasks, django_capture_on_commit_callbacks):
    result = services.reminders_send(on=D(2026, 11, 24))
    assert not result.working_day and not ReminderLog.objects.exists()


def test_issued_documents_and_people_without_mail_get_nothing(
    tasks, django_capture_on_commit_callbacks
):
    Person.objects.filter(username=R).update(email="")
    type(tasks["D"]).objects.filter(pk=tasks["D"].pk).update(due_on=None)
    task("Issued", state="issued", due_on=D(2026, 11, 25), number=1, signed_sha256="0" * 64)
    sent = summary(run_on(D(2026, 11, 25), django_capture_on_commit_callbacks), TITLES)
    assert [row for row in sent if row[0] == R] == []
    assert {row[0] for row in sent} == {M, V}  # B: one day left


def _bulk_tasks(count: int) -> None:
    for i in range(count):
        task(
            f"T{i}", state=("submitted", "endorsed", "draft")[i % 3], due_on=D(2026, 11, 23 + i % 4)
        )


@pytest.mark.parametrize("count", [3, 30])
def test_query_count_does_not_grow_with_tasks(office, count, django_capture_on_commit_callbacks):
    """Equal at both sizes: the calendar, the settings, the tasks, one per permission of
    the pools (review, signature, drafting), who is on leave, the preferences, the log,
    one INSERT of log rows, the audit head, one INSERT of events, the head update, the
    outbox (the keys already queued, one INSERT, the new rows' ids) and 4 savepoints.
    (Only the INSERTs grow, by one per batch: 142 log rows or 58 events on SQLite.)"""
    _bulk_tasks(count)
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks():
        result = services.reminders_send(on=D(2026, 11, 26))
    assert result.mails > 0
    assert len(queries) == EXPECTED_QUERIES, "\n".join(q["sql"][:120] for q in queries)


EXPECTED_QUERIES = 20


def test_holders_in_bulk_agree_with_holders(tasks):
    documents = list(tasks.values())
    bulk = holders_by_document(documents)
    assert {pk: sorted(p.username for p in people) for pk, people in bulk.items()} == {
        d.pk: sorted(p.username for p in holders(d)) for d in documents
    }
    assert sorted(p.username for p in bulk[tasks["B"].pk]) == [M, V]


def test_command_runs_a_day_by_hand(tasks, django_capture_on_commit_callbacks, capsys):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--date", "20/11/2026")
    assert "2 reminders" in capsys.readouterr().out
    assert len(mail.outbox) == 2
    call_command("send_reminders", "--date", "2026-11-21")
    assert "not a working day" in capsys.readouterr().out


def test_the_head_gets_one_mail_naming_the_late_tasks_and_who_holds_them(
    tasks, django_capture_on_commit_callbacks
):
    messages = by_recipient(run_on(D(2026, 11, 30), django_capture_on_commit_callbacks))[S]
    assert [kind_of(m) for m in messages] == ["escalated"]
    body = english(messages[0])
    assert "Tasks held by your unit overdue by 3 working days or more (2):" in body
    assert body.count("Who may act on it: Trần Thị Bình") == 2
    assert "Due on 25/11/2026: overdue by 3 working days." in body
    assert messages[0].subject.endswith("Overdue in your unit: 2 tasks")


def test_a_run_racing_another_sends_nothing(tasks, django_capture_on_commit_callbacks, monkeypatch):
    """Two workers on the same day: the one that commits second meets the log's unique
    constraints and rolls back whole, its mails and audit events with it."""
    run_on(D(2026, 11, 30), django_capture_on_commit_callbacks)
    events = AuditEvent.objects.count()
    monkeypatch.setattr(services._Run, "_read_log", _saw_nothing)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = services.reminders_send(on=D(2026, 11, 30))
    assert result.already_sent and mail.outbox == []
    assert AuditEvent.objects.count() == events


def _saw_nothing(self, tasks):
    self.reminded, self.escalated, self.digest_sent = set(), {}, set()


def test_a_head_reading_digests_only_finds_the_escalation_in_the_digest(
    tasks, django_capture_on_commit_callbacks
):
    services.preference_set(person=Person.objects.get(username=S), digest_only=True)
    messages = by_recipient(run_on(D(2026, 11, 30), django_capture_on_commit_callbacks))[S]
    assert [kind_of(m) for m in messages] == ["digest"]
    assert "Overdue in your unit (2):" in english(messages[0])
    assert ReminderLog.objects.filter(kind=Kind.ESCALATED, person__username=S).count() == 2
