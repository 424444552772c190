"""A reminder and the holder's own action at the same moment, on real parallel
connections (tests/workflows/test_concurrency.py explains how both databases serialise
them): the reminder locks the document rows first, so it is about the step the document
is really at, or refused when the unit no longer holds it."""

from __future__ import annotations

import pytest

from followup import services
from organisation.models import Unit
from tests.followup import helpers as f
from tests.workflows import helpers as h
from tests.workflows.test_concurrency import together
from workflows.exceptions import WorkflowError
from workflows.models import AuditEvent

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("demo_org")]


@pytest.mark.parametrize("run", range(3))
def test_a_unit_reminder_racing_an_endorsement_is_about_the_step_it_saw(run):
    document = f.held_plan("submitted")
    kh = Unit.objects.get(code="KH")
    clerk, reviewer = h.person(f.CLERK), h.person(h.REVIEWER)

    reminded, endorsed = together(
        lambda: services.followup_remind(user=clerk, unit_id=kh.pk, message="Khẩn trương."),
        lambda: h.act(document, "endorse", reviewer.username),
    )

    assert not isinstance(endorsed, Exception), endorsed
    events = list(AuditEvent.objects.filter(document=document).order_by("seq"))
    actions = [e.action for e in events]
    if isinstance(reminded, Exception):
        # Endorsed first: the Planning Department holds nothing any more.
        assert isinstance(reminded, WorkflowError) and reminded.status == 409, reminded
        assert "followup.document.reminded" not in actions
    else:
        # Reminded first, about the review, before the endorsement.
        reminder = next(e for e in events if e.action == "followup.document.reminded")
        endorsement = next(e for e in events if e.action == "planning.plan.endorsed")
        assert reminder.data["step"] == "review"
        assert reminder.seq < endorsement.seq
