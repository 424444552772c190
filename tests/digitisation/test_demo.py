"""The demo digitisation programme loads through the real services, once."""

from io import StringIO

import pytest
from django.core.management import call_command

from digitisation import selectors
from digitisation.demo import period
from digitisation.models import Batch, Target
from organisation.models import Unit
from workflows.models import AuditEvent
from worktime.calendar import today

pytestmark = pytest.mark.django_db


def test_the_demo_has_batches_in_every_state_and_loads_once():
    call_command("load_demo", stdout=StringIO())
    counts = (Batch.objects.count(), Target.objects.count(), AuditEvent.objects.count())
    call_command("load_demo", stdout=StringIO())
    assert (Batch.objects.count(), Target.objects.count(), AuditEvent.objects.count()) == counts

    assert sorted(Batch.objects.values_list("state", flat=True)) == [
        "accepted",
        "redone",
        "registered",
        "rejected",
    ]
    assert {b.plan_task.plan.document.state for b in Batch.objects.all()} == {"issued"}
    first = Batch.objects.get(state="accepted")
    assert (first.period_from, first.period_to) == period([11, 11])
    assert first.period_from.year == today().year - 11
    vp = Unit.objects.get(code="VP").pk
    figures = selectors.unit_figures()[vp]
    assert (figures["documents"], figures["target_documents"], figures["batches_rejected"]) == (
        1850,
        12000,
        1,
    )
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "digitisation.batch.registered",
        "digitisation.batch.accepted",
        "digitisation.batch.rejected",
        "digitisation.batch.redone",
        "digitisation.target.set",
    } <= actions
