"""The compliance pages run a fixed number of queries, whatever the number of people: the
same for a unit of 20 as for a unit of 2,000."""

from __future__ import annotations

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisation.models import Person, Unit
from standards.models import Certificate, Membership, Module, PositionGroup
from tests.standards.conftest import DRAFTER, client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("standard")]

# (position group, modules held): compliant, partial, advanced with a gap, no group...
PROFILES = [
    ("CHUYENVIEN", ["IU01", "IU02", "IU03", "IU04", "IU05", "IU06"]),
    ("CHUYENVIEN", ["IU01", "IU02"]),
    ("CNTT", ["IU01", "IU02", "IU03", "IU04", "IU05", "IU06", "IU07", "IU09"]),
    ("HANHCHINH", []),
    (None, ["IU01"]),
]


def add_people(unit: Unit, n: int, start: int) -> None:
    """n people in the unit, with memberships and certificates (two for some), in bulk."""
    groups = {g.code: g for g in PositionGroup.objects.all()}
    modules = {m.code: m for m in Module.objects.all()}
    recorder = Person.objects.get(username=DRAFTER)
    people = Person.objects.bulk_create(
        Person(
            username=f"nv{start + i:05d}",
            full_name=f"Nguyễn Văn {start + i:05d}",
            unit=unit,
            password="!",  # noqa: S106 (unusable)
        )
        for i in range(n)
    )
    profiles = list(itertools.islice(itertools.cycle(PROFILES), n))
    Membership.objects.bulk_create(
        Membership(person=p, group=groups[code])
        for p, (code, _held) in zip(people, profiles, strict=True)
        if code
    )
    certs, covers = [], []
    for p, (_code, held) in zip(people, profiles, strict=True):
        # Split what is held over two certificates, to exercise the union.
        for part, codes in enumerate((held[:3], held[3:])):
            if codes:
                certs.append(
                    Certificate(
                        person=p,
                        issued_on="2024-01-15",
                        issuing_body="Trung tâm Tin học",
                        number=f"{p.username}-{part}",
                        recorded_by=recorder,
                    )
                )
                covers.append(codes)
    certs = Certificate.objects.bulk_create(certs)
    Certificate.modules.through.objects.bulk_create(
        Certificate.modules.through(certificate_id=c.pk, module_id=modules[code].pk)
        for c, codes in zip(certs, covers, strict=True)
        for code in codes
    )


def count_queries(client, url) -> tuple[int, str]:
    client.get(url)  # warm up
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode(errors="replace")


def test_unit_page_queries_are_the_same_at_20_and_at_2000_people():
    unit = Unit.objects.create(code="DPT", name_vi="Vụ Địa phương", name_en="Local Affairs")
    client = client_for(DRAFTER)
    url = reverse("standards:compliance_unit", args=[unit.code])
    add_people(unit, 20, 0)
    small, page = count_queries(client, url)
    assert "20 people" in page
    add_people(unit, 1980, 20)
    large, page = count_queries(client, url)
    assert "2.000 people" in page
    assert large == small, f"{small} queries at 20 people, {large} at 2,000"
    # The figures are right: per 5 people 1 compliant, 2 with a gap, 1 not required, 1
    # without a group; the share counts the 3 required.
    totals = page.split('data-testid="unit-totals"')[1].split("</dl>")[0]
    assert "<dd>2.000</dd>" in totals and "<dd>400</dd>" in totals  # people; no group
    assert "<dd>1.200</dd>" in totals and "33,3%" in totals  # required; share
    filtered, page = count_queries(client, f"{url}?compliant=no&group=CNTT&q=van")
    assert filtered == small
    assert "400 people" in page


def test_summary_and_exports_queries_do_not_grow_with_people():
    unit = Unit.objects.create(code="DPT", name_vi="Vụ Địa phương", name_en="Local Affairs")
    client = client_for("botruong")
    urls = [
        reverse("standards:compliance"),
        reverse("standards:compliance_unit_xlsx", args=[unit.code]),
        reverse("standards:compliance_export_xlsx"),
    ]
    add_people(unit, 20, 0)
    small = [count_queries(client, u)[0] for u in urls]
    add_people(unit, 480, 20)
    large = [count_queries(client, u)[0] for u in urls]
    assert large == small


def test_a_persons_page_runs_a_fixed_number_of_queries():
    unit = Unit.objects.create(code="DPT", name_vi="Vụ Địa phương", name_en="Local Affairs")
    add_people(unit, 5, 0)
    client = client_for("nv00002")  # CNTT: two certificates
    small, page = count_queries(client, reverse("standards:my_skills"))
    assert "nv00002-0" in page and "nv00002-1" in page
    assert 'data-status="gap"' in page
    person = Person.objects.get(username="nv00002")
    recorder = Person.objects.get(username=DRAFTER)
    for i in range(10):
        c = Certificate.objects.create(
            person=person,
            issued_on="2024-02-01",
            issuing_body="Trung tâm",
            number=f"more-{i}",
            recorded_by=recorder,
        )
        c.modules.set(Module.objects.filter(code__in=["IU10", "IU11"]))
    large, _page = count_queries(client, reverse("standards:my_skills"))
    assert large == small


def test_the_selectors_themselves_run_a_fixed_number_of_queries(standard):
    from standards import selectors

    unit = Unit.objects.create(code="DPT", name_vi="Vụ Địa phương", name_en="Local Affairs")

    def counts():
        with CaptureQueriesContext(connection) as rows_queries:
            rows = selectors.unit_compliance(unit, standard, compliant="no", q="van")
            assert all(r.person.unit.code == "DPT" for r in rows)  # no query per person
            assert all(r.person.display_name for r in rows)
        with CaptureQueriesContext(connection) as summary_queries:
            summary = selectors.units_summary(standard)
        return len(rows_queries), len(summary_queries), summary.overall.people

    add_people(unit, 10, 0)
    small = counts()
    add_people(unit, 300, 10)
    large = counts()
    assert small[:2] == large[:2] == (5, 6)
    assert large[2] - small[2] == 300


def test_compliance_by_person_agrees_with_the_rows_in_a_fixed_number_of_queries(standard):
    from standards import selectors

    unit = Unit.objects.create(code="DPT", name_vi="Vụ Địa phương", name_en="Local Affairs")
    people = Person.objects.filter(unit=unit)

    def bulk():
        with CaptureQueriesContext(connection) as queries:
            found = selectors.compliance_by_person(people, standard)
        return found, len(queries)

    add_people(unit, 10, 0)
    _found, small = bulk()
    add_people(unit, 300, 10)
    Person.objects.filter(username="nv00007").update(is_active=False)
    found, large = bulk()
    assert small == large == 4
    rows = selectors.compliance_rows(people, standard)
    assert list(found) != [] and set(found) == {r.person.pk for r in rows}  # active only
    for row in rows:
        one = found[row.person.pk]
        assert (one.status, one.level, sorted(one.required), sorted(one.held)) == (
            row.status,
            row.level,
            row.required,
            row.held,
        )
        assert sorted(one.gap) == row.gap and sorted(one.held_required) == row.held_required
    # One Standing per (group, modules held): the 5 profiles, shared by everyone.
    assert len({id(s) for s in found.values()}) == len(PROFILES)
    assert {s.status for s in found.values()} == {
        selectors.COMPLIANT,
        selectors.GAP,
        selectors.NOT_REQUIRED,
        selectors.NO_GROUP,
    }
