"""The whole year over a frozen clock: the Centre opens 2026 on the issued criteria set,
units self-assess (one late, one never), reminders and escalation go out on the right
days, the Centre appraises, a unit responds once, the Centre finalises, the Council
remarks, the Minister issues the ranking decision, and the published ranking is frozen."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from evaluation import selectors, services
from evaluation.models import Evaluation, SelfAssessment
from outbox.models import Mail as OutboxMail
from tests.evaluation import helpers as e
from tests.workflows import helpers as h
from workflows.exceptions import InvalidInput
from workflows.models import AuditEvent

pytestmark = pytest.mark.usefixtures("demo_org")

TZ = dt.timezone(dt.timedelta(hours=7))


def at(day: str):
    return time_machine.travel(
        dt.datetime.fromisoformat(day).replace(hour=9, tzinfo=TZ), tick=False
    )


def _mails(key_part: str) -> list:
    return list(OutboxMail.objects.filter(key__contains=key_part).order_by("key"))


def test_full_cycle():
    heads = e.heads()
    centre = h.person(e.CENTRE)
    with at("2026-11-01"):
        evaluation = e.open_evaluation()
    assert evaluation.self_due_on == dt.date(2026, 11, 24)
    assert evaluation.ranking_due_on == dt.date(2026, 12, 24)
    ttt, kh, vp = (e.assessment(evaluation, c) for c in ("TTTT", "KH", "VP"))

    with at("2026-11-10"):
        e.fill_all(ttt, heads["TTTT"], value=Decimal("4"))
    with at("2026-11-17"):  # 7 days before: every unit still drafting is reminded
        assert services.reminders_send(on=dt.date(2026, 11, 17)) == 5
        assert services.reminders_send(on=dt.date(2026, 11, 17)) == 5  # same keys: no new mail
    assert len(_mails(":reminder:2026-11-17:")) == 5
    with at("2026-11-18"):
        assert services.reminders_send(on=dt.date(2026, 11, 18)) == 0  # not a reminder day
    with at("2026-11-20"):
        e.fill_all(kh, heads["KH"], value=Decimal("2"))
    with at("2026-11-25"):  # overdue: escalation to the Centre too, units marked late
        assert services.reminders_send(on=dt.date(2026, 11, 25)) == 4
    escalations = _mails(":escalation:2026-11-25:")
    assert len(escalations) == 4
    assert all(centre.email in m.to for m in escalations)
    assert SelfAssessment.objects.filter(evaluation=evaluation, late=True).count() == 4
    with at("2026-11-26"):
        vp = e.fill_all(vp, heads["VP"], value=Decimal("3"))
    assert vp.late and vp.submitted_on == dt.date(2026, 11, 26)

    with at("2026-12-01"):
        for a in (ttt, kh, vp):
            first = True
            for v in a.values.select_related("indicator").order_by("pk"):
                if a == kh and first:
                    services.value_appraise(
                        user=centre, value_id=v.pk, value=Decimal("0"), reason="Không có minh chứng"
                    )
                    first = False
                else:
                    services.value_appraise(user=centre, value_id=v.pk, accept=True)
            services.appraisal_send(user=centre, assessment_id=a.pk)
        services.self_assessment_respond(
            user=heads["KH"], assessment_id=kh.pk, text="Đã bổ sung minh chứng."
        )
        with pytest.raises(InvalidInput):
            services.self_assessment_respond(user=heads["KH"], assessment_id=kh.pk, text="Lần hai")
        evaluation = services.evaluation_finalise(user=centre, evaluation_id=evaluation.pk)
    assert evaluation.state == Evaluation.State.FINALISED
    assert evaluation.decision.due_on == dt.date(2026, 12, 24)

    ranking = selectors.compute(evaluation)
    by_code = {r["code"]: r for r in ranking["units"]}
    assert by_code["TTTT"]["rank"] == 1
    assert by_code["TTTT"]["late"] is False
    assert by_code["VP"]["late"] is True
    assert by_code["TCCB"]["late"] is True and by_code["TCCB"]["total"] == "0.00"
    # Units that never submitted tie at 0 and share a rank.
    assert by_code["TCCB"]["rank"] == by_code["TTr"]["rank"]

    with at("2026-12-05"):
        services.remark_add(
            user=h.person(e.COUNCIL), evaluation_id=evaluation.pk, text="Đề nghị xem lại KH."
        )
        document = h.drive(evaluation.decision, "issued", reviewer=e.COUNCIL)
    assert document.state == "issued"
    assert document.number_text.endswith("/QĐ-UBDT")
    evaluation.refresh_from_db()
    assert evaluation.state == Evaluation.State.PUBLISHED
    assert evaluation.published["units"] == ranking["units"]
    with pytest.raises(InvalidInput):
        services.remark_add(user=h.person(e.COUNCIL), evaluation_id=evaluation.pk, text="Muộn")
    with pytest.raises(InvalidInput):
        services.value_appraise(
            user=centre, value_id=kh.values.first().pk, value=Decimal(9), reason="x"
        )
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "evaluation.cycle.opened",
        "evaluation.self_assessment.submitted",
        "evaluation.appraisal.changed",
        "evaluation.self_assessment.responded",
        "evaluation.cycle.finalised",
        "evaluation.ranking.remarked",
        "evaluation.ranking.published",
    } <= actions
