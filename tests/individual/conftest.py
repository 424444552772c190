"""The individual ranking's world: the demo organisation, a competency standard in force,
the 2026 criteria set issued (its person-level indicators linked to their measures as the
demo links them), and a unit "DPT" with a head and three people whose figures are known."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import translation

from individual import demo as measures
from organisation.demo import load_organisation
from organisation.models import Person, Unit
from reporting import sources
from standards import demo as standards_demo
from standards.models import Certificate, Membership, Module, PositionGroup
from tests.conftest import rolled_back_setup
from tests.factories import PersonFactory, UnitFactory
from tests.reporting.helpers import make_criteria
from tests.standards.conftest import issue_standard

YEAR = 2026
CENTRE = "soanthao.tttt"  # run_it_evaluation
COUNCIL = "hoidong.tdkt"  # view_it_reports


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def no_training_provider():
    """Tests start without a training provider, whatever app is installed, and get the
    registry back as it was."""
    saved = dict(sources._PROVIDERS)
    sources._PROVIDERS.pop(sources.TRAINING_BY_PERSON, None)
    sources._PROVIDERS.pop(sources.TRAINING_COURSES_BY_PERSON, None)
    yield
    sources._PROVIDERS.clear()
    sources._PROVIDERS.update(saved)


def certify(person: Person, codes: list[str]) -> None:
    recorder = Person.objects.get(username="soanthao.tccb")
    cert = Certificate.objects.create(
        person=person,
        issued_on=dt.date(2024, 1, 15),
        issuing_body="Trung tâm Tin học",
        number=f"{person.username}-{len(codes)}",
        recorded_by=recorder,
    )
    cert.modules.set(Module.objects.filter(code__in=codes))


def _build_world() -> dict[str, int]:
    with translation.override("en"):
        load_organisation()
        standards_demo.load_groups()
        issue_standard()  # effective today (within the year scored)
        make_criteria("issued", year=YEAR)
        measures.load_demo()
        unit = UnitFactory(code="DPT", name_vi="Vụ Địa phương", name_en="Local Affairs")
        head = PersonFactory(username="truong.dpt", full_name="Trưởng Vụ Địa phương", unit=unit)
        unit.head = head
        unit.save()
        an = PersonFactory(username="an.dpt", full_name="Lê Văn An", unit=unit)
        binh = PersonFactory(username="binh.dpt", full_name="Trần Thị Bình", unit=unit)
        groups = {g.code: g for g in PositionGroup.objects.all()}
        for person, group in ((head, "LANHDAO_VU"), (an, "CHUYENVIEN"), (binh, "CNTT")):
            Membership.objects.create(person=person, group=groups[group])
        basic = ["IU01", "IU02", "IU03", "IU04", "IU05", "IU06"]
        certify(an, basic)  # compliant: 6 of 6
        certify(binh, [*basic, "IU07"])  # CNTT needs IU07, IU09, IU14: 7 of 9, 1 advanced
    return {"unit": unit.pk, "head": head.pk, "an": an.pk, "binh": binh.pk}


@pytest.fixture(scope="module")
def _world_module(django_db_setup, django_db_blocker):
    """The world, built once per module and rolled back after its last test."""
    yield from rolled_back_setup(django_db_blocker, _build_world)


@pytest.fixture
def world(_world_module, db):
    """The world (built once per module, see `rolled_back_setup`): each test runs in its
    own savepoint over it and gets its own copies of the objects."""
    return {
        "unit": Unit.objects.get(pk=_world_module["unit"]),
        **{key: Person.objects.get(pk=_world_module[key]) for key in ("head", "an", "binh")},
        "units": Unit.objects.all(),
    }


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(Person.objects.get(username=username))
    client.cookies["ubdt_language"] = "en"
    return client
