"""The mail-statistics import saves every row or none, only for the Centre, audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from individual import services
from individual.models import MailAccountStat, MailImport
from tests.individual.conftest import CENTRE
from tests.individual.test_mail_csv import HEADER, upload
from tests.workflows import helpers as h
from workflows.models import AuditEvent

pytestmark = pytest.mark.django_db
START, END = dt.date(2026, 1, 1), dt.date(2026, 12, 31)


def run(text, user=CENTRE, **kwargs):
    return services.mail_import_create(
        user=h.person(user), period_start=START, period_end=END, file=upload(text), **kwargs
    )


def test_a_valid_file_is_saved_with_its_period_and_audited(world):
    result = run(HEADER + "an.dpt@example.gov.vn,05/03/2026,120\nBINH.DPT,,0\n")
    assert result.problems == [] and not result.refusal
    saved = MailImport.objects.get()
    assert (saved.period_start, saved.period_end, saved.accounts) == (START, END, 2)
    stats = dict(MailAccountStat.objects.values_list("person__username", "messages_sent"))
    assert stats == {"an.dpt": 120, "binh.dpt": 0}
    event = AuditEvent.objects.get(action=services.MAIL_IMPORTED)
    assert event.actor.username == CENTRE and event.data["accounts"] == 2


@pytest.mark.parametrize(
    "text",
    [
        HEADER + "an.dpt,05/03/2026,120\nan.dpt,05/03/2026,1\n",  # duplicated account
        HEADER + "an.dpt,05/03/2026,120\nnobody@example.gov.vn,05/03/2026,1\n",  # unknown
        HEADER + "an.dpt,05/03/2026,120\nbinh.dpt,05/03/2026,=1+1\n",  # formula
        HEADER + "an.dpt,05/03/2026,120\nbinh.dpt,2026-02-30,1\n",  # bad date
        "garbage\n",  # wrong header
    ],
)
def test_nothing_is_saved_unless_every_row_is_valid(world, text):
    result = run(text)
    assert result.problems or result.refusal
    assert not MailImport.objects.exists() and not MailAccountStat.objects.exists()
    assert AuditEvent.objects.filter(action=services.MAIL_REFUSED).count() == 1


def test_a_period_that_ends_before_it_starts_is_refused(world):
    result = services.mail_import_create(
        user=h.person(CENTRE), period_start=END, period_end=START, file=upload(HEADER)
    )
    assert "ends before it starts" in result.refusal
    assert not MailImport.objects.exists()


@pytest.mark.parametrize("user", ["hoidong.tdkt", "truong.dpt", "soanthao.tccb", "botruong"])
def test_only_the_centre_may_import(world, user):
    with pytest.raises(PermissionDenied):
        run(HEADER + "an.dpt,05/03/2026,1\n", user=user)
    assert not MailImport.objects.exists()
