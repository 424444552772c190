"""Each person's score from the issued criteria set: the figures of a known world, the
sources, "no data" without a provider or an import, ties, grades and the unit filter."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from individual import selectors
from individual.models import IndicatorMeasure, MailAccountStat, MailImport
from reporting import sources
from tests.individual.conftest import CENTRE, YEAR
from tests.workflows import helpers as h
from workflows import audit
from workflows.audit_hooks import SIGNED_IN

pytestmark = pytest.mark.django_db


def lines(scores, person) -> dict[str, selectors.Line]:
    return {line.indicator.code: line for line in selectors.score_of(scores, person.pk).lines}


def test_no_criteria_set_issued_for_the_year_means_no_scores(world):
    scores = selectors.person_scores(YEAR + 1)
    assert scores.criteria is None and list(scores) == []


def test_only_the_person_level_indicators_are_scored(world):
    scores = selectors.person_scores(YEAR)
    assert [i.code for i in scores.indicators] == ["1.1", "1.4", "1.5", "2.4", "3.1", "3.4", "3.5"]
    assert all(s.maximum == Decimal(37) for s in scores)  # 8 + 3 + 5 + 6 + 8 + 4 + 3


def test_certificates_are_measured_against_the_requirement_of_the_position(world):
    by_code = lines(selectors.person_scores(YEAR), world["binh"])
    # CNTT requires IU01–IU06 and IU07, IU09, IU14; Bình holds IU01–IU07: 7 of 9.
    assert by_code["3.1"].value == Decimal(7) / Decimal(9)
    assert by_code["3.1"].points == Decimal("6.22")  # ratio × 8, half up
    assert by_code["3.1"].source == selectors.SOURCE_CERTIFICATES
    assert by_code["3.4"].value == 1 and by_code["3.4"].points == Decimal("1.00")
    an = lines(selectors.person_scores(YEAR), world["an"])
    assert an["3.1"].value == 1 and an["3.1"].points == Decimal("8.00")


def test_without_a_training_provider_or_mail_import_the_figures_are_no_data(world):
    by_code = lines(selectors.person_scores(YEAR), world["an"])
    for code in ("1.1", "1.4", "1.5", "3.5"):
        assert by_code[code].no_data and by_code[code].points == 0
        assert by_code[code].shown == "no data"


def test_training_comes_from_the_registered_provider(world):
    calls = []

    def provider(**kwargs):
        calls.append(kwargs)
        return {world["an"].pk: {"courses_attended": 2, "courses_passed": 1}}

    sources.register(sources.TRAINING_COURSES_BY_PERSON, provider)
    scores = selectors.person_scores(YEAR)
    assert calls[0]["start"] == dt.date(YEAR, 1, 1) and calls[0]["end"] == dt.date(YEAR, 12, 31)
    assert lines(scores, world["an"])["3.5"].points == Decimal("2.00")  # 1 per course, cap 3
    assert lines(scores, world["binh"])["3.5"].value == 0  # measured: none attended


def test_mail_use_comes_from_the_import_whose_period_ends_last_in_the_year(world):
    old = MailImport.objects.create(
        period_start=dt.date(YEAR, 1, 1),
        period_end=dt.date(YEAR, 1, 31),
        imported_by=h.person(CENTRE),
    )
    MailAccountStat.objects.create(
        mail_import=old, person=world["binh"], account="b", messages_sent=9999
    )
    latest = MailImport.objects.create(
        period_start=dt.date(YEAR, 1, 5),  # 7 weeks: 5 Jan – 22 Feb
        period_end=dt.date(YEAR, 2, 22),
        imported_by=h.person(CENTRE),
    )
    MailAccountStat.objects.create(
        mail_import=latest,
        person=world["an"],
        account="a",
        last_sign_in=dt.date(YEAR, 2, 20),
        messages_sent=21,
    )
    scores = selectors.person_scores(YEAR)
    an, binh = lines(scores, world["an"]), lines(scores, world["binh"])
    assert scores.mail_import == latest
    assert an["1.1"].value == 1 and an["1.1"].points == Decimal("8.00")
    assert an["1.5"].value == Decimal("3.00") and an["1.5"].points == Decimal("4.00")  # ≥3: 4
    # Bình is not in the latest import: no mailbox use in its period, measured as 0.
    assert binh["1.1"].value == 0 and binh["1.5"].value == 0 and binh["1.1"].source == "mail"


def test_document_system_use_comes_from_the_persons_audit_events_in_the_year(world):
    audit.record(action=SIGNED_IN, actor=world["an"])
    scores = selectors.person_scores(YEAR)
    assert lines(scores, world["an"])["2.4"].value == 1
    assert lines(scores, world["an"])["2.4"].points == Decimal("6.00")
    assert lines(scores, world["binh"])["2.4"].value == 0
    assert lines(scores, world["binh"])["2.4"].source == selectors.SOURCE_AUDIT


def test_an_indicator_without_a_measure_is_not_measured(world):
    IndicatorMeasure.objects.filter(indicator_code="3.4").delete()
    line = lines(selectors.person_scores(YEAR), world["binh"])["3.4"]
    assert line.no_data and line.source == selectors.SOURCE_NONE and line.points == 0


def test_equal_scores_share_a_rank_and_the_next_rank_skips(world):
    scores = selectors.person_scores(YEAR)
    ranks = [s.rank for s in scores]
    assert ranks == sorted(ranks)
    an, binh = (
        selectors.score_of(scores, world["an"].pk),
        selectors.score_of(scores, world["binh"].pk),
    )
    assert an.score == Decimal("21.62")  # 8 of 37 × 100
    tied = [s for s in scores if s.score == an.score]
    assert len(tied) > 1 and {s.rank for s in tied} == {an.rank}
    assert binh.rank == an.rank + len(tied)


def test_the_grade_is_the_bands_grade_of_the_score_scaled_to_100(world):
    MailImport.objects.create(
        period_start=dt.date(YEAR, 1, 1),
        period_end=dt.date(YEAR, 1, 7),
        imported_by=h.person(CENTRE),
    )
    stat = MailImport.objects.get()
    MailAccountStat.objects.create(
        mail_import=stat,
        person=world["an"],
        account="a",
        last_sign_in=dt.date(YEAR, 1, 7),
        messages_sent=5,
    )
    audit.record(action=SIGNED_IN, actor=world["an"])
    sources.register(
        sources.TRAINING_COURSES_BY_PERSON, lambda **kw: {world["an"].pk: {"courses_attended": 3}}
    )
    score = selectors.score_of(selectors.person_scores(YEAR), world["an"].pk)
    # 8 + 3 + 5 + 6 + 8 + 0 (no advanced module) + 3 = 33 of 37 = 89.19: good.
    assert score.points == Decimal("33.00") and score.score == Decimal("89.19")
    assert score.grade == "good" and score.rank == 1


def test_a_unit_filter_keeps_the_committees_ranks(world):
    everyone = selectors.person_scores(YEAR)
    unit = selectors.person_scores(YEAR, unit_ids=[world["unit"].pk])
    people = selectors.with_people(unit)
    assert {s.person.username for s in people} == {"truong.dpt", "an.dpt", "binh.dpt"}
    assert all(s.unit_id == world["unit"].pk == s.person.unit_id for s in people)
    ranks = {s.person_id: s.rank for s in everyone}
    assert all(s.rank == ranks[s.person_id] for s in unit)


def test_inactive_people_and_people_without_a_unit_are_not_ranked(world):
    world["binh"].is_active = False
    world["binh"].save()
    world["an"].unit = None
    world["an"].save()
    ranked = {s.person_id for s in selectors.person_scores(YEAR)}
    assert world["binh"].pk not in ranked and world["an"].pk not in ranked
    assert world["head"].pk in ranked
    assert timezone.now()  # the clock is real: the events above are in the current year


def test_audit_events_of_another_year_do_not_count(world):
    with time_machine.travel(dt.datetime(YEAR - 1, 12, 31, 16, 59, tzinfo=dt.UTC)):  # 23:59 VN
        audit.record(action=SIGNED_IN, actor=world["an"])
    assert lines(selectors.person_scores(YEAR), world["an"])["2.4"].value == 0
    with time_machine.travel(dt.datetime(YEAR - 1, 12, 31, 17, 0, tzinfo=dt.UTC)):  # 00:00 VN
        audit.record(action=SIGNED_IN, actor=world["an"])
    assert lines(selectors.person_scores(YEAR), world["an"])["2.4"].value == 1
