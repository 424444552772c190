"""Every page runs the same number of queries at 200 and at 5,000 people (bulk-created,
with position groups, certificates, mail statistics and audit events), and the figures
at 5,000 are right (the everyone page's 100 people and the Committee's row of its
per-unit table, the unit page's second page)."""

from __future__ import annotations

import datetime as dt
import itertools
import time
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from individual import selectors
from individual.models import MailAccountStat, MailImport
from organisation.models import Person, Unit
from standards.models import Certificate, Membership, Module, PositionGroup
from tests.individual.conftest import CENTRE, COUNCIL, YEAR, client_for
from workflows import audit
from workflows.audit_hooks import SIGNED_IN

pytestmark = pytest.mark.django_db


BASIC = ["IU01", "IU02", "IU03", "IU04", "IU05", "IU06"]
# (position group, modules held, messages sent, signs in)
PROFILES = [
    ("CHUYENVIEN", BASIC, 300, True),
    ("CHUYENVIEN", BASIC[:3], 0, False),
    ("CNTT", [*BASIC, "IU07", "IU09"], 90, True),
    (None, ["IU01"], 10, False),
]


def add_people(units: list[Unit], n: int, start: int, mail: MailImport) -> None:
    groups = {g.code: g for g in PositionGroup.objects.all()}
    modules = {m.code: m for m in Module.objects.all()}
    recorder = Person.objects.get(username="soanthao.tccb")
    people = Person.objects.bulk_create(
        Person(
            username=f"nv{start + i:05d}",
            full_name=f"Nguyễn Văn {start + i:05d}",
            email=f"nv{start + i:05d}@ubdt.gov.vn",
            unit=units[i % len(units)],
            password="!",  # noqa: S106 (unusable)
        )
        for i in range(n)
    )
    profiles = list(itertools.islice(itertools.cycle(PROFILES), n))
    pairs = list(zip(people, profiles, strict=True))
    Membership.objects.bulk_create(
        Membership(person=p, group=groups[g]) for p, (g, *_rest) in pairs if g
    )
    certs = Certificate.objects.bulk_create(
        Certificate(
            person=p,
            issued_on="2024-01-15",
            issuing_body="Trung tâm Tin học",
            number=p.username,
            recorded_by=recorder,
        )
        for p, _profile in pairs
    )
    Certificate.modules.through.objects.bulk_create(
        Certificate.modules.through(certificate_id=c.pk, module_id=modules[code].pk)
        for c, (_p, (_g, held, *_rest)) in zip(certs, pairs, strict=True)
        for code in held
    )
    MailAccountStat.objects.bulk_create(
        MailAccountStat(
            mail_import=mail,
            person=p,
            account=p.email,
            last_sign_in=mail.period_end,
            messages_sent=sent,
        )
        for p, (_g, _held, sent, _signs) in pairs
    )
    audit.record_many([{"action": SIGNED_IN, "actor": p} for p, (*_rest, signs) in pairs if signs])


def measure(client, url) -> tuple[int, float, str]:
    assert client.get(url).status_code == 200  # warm up
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    seconds = time.perf_counter() - start
    assert response.status_code == 200
    return len(queries), seconds, response.content.decode()


def test_pages_run_the_same_queries_at_200_and_5000_people(world, capsys):
    units = [
        Unit.objects.create(code=f"V{i:02d}", name_vi=f"Vụ {i:02d}", name_en=f"Dept {i:02d}")
        for i in range(20)
    ]
    mail = MailImport.objects.create(
        period_start=dt.date(YEAR, 1, 1),
        period_end=dt.date(YEAR, 12, 31),
        imported_by=Person.objects.get(username=CENTRE),
    )
    head = Person.objects.get(username="truong.dpt")
    units[0].head = head
    units[0].save()
    pages = [
        (client_for(COUNCIL), reverse("individual:everyone")),
        (client_for(COUNCIL), reverse("individual:everyone") + "?page=2"),
        (client_for("truong.dpt"), reverse("individual:unit", args=[units[0].pk])),
        (client_for("truong.dpt"), reverse("individual:unit", args=[units[0].pk]) + "?page=2"),
        (client_for("an.dpt"), reverse("individual:mine")),
        (client_for(COUNCIL), reverse("individual:person", args=[world["an"].pk])),
    ]
    add_people(units, 200, 0, mail)
    small = [measure(c, u) for c, u in pages]
    add_people(units, 4800, 200, mail)
    large = [measure(c, u) for c, u in pages]
    assert [q for q, _s, _p in large] == [q for q, _s, _p in small]
    assert max(q for q, _s, _p in large) <= 30
    # At 5,000: a compliant CHUYENVIEN who mails and signs in scores
    # 1.1 8 + 1.4 3 + 1.5 5 (300 a year ≈ 5,75 a week) + 2.4 6 + 3.1 8 = 30 of 37.
    scores = selectors.person_scores(YEAR)
    assert len(scores) == Person.objects.filter(unit__isnull=False, is_active=True).count()
    assert len(scores) > 5000
    one = selectors.score_of(scores, Person.objects.get(username="nv04800").pk)
    assert (one.points, one.score, one.grade) == (Decimal(30), Decimal("81.08"), "fair")
    assert 'data-person="nv04800"' in large[2][2] or 'data-testid="scores"' in large[2][2]
    # The everyone page: 100 people, and the whole Committee in its per-unit table.
    assert large[0][2].count("<tr data-person=") == 100
    overall = large[0][2].split('<tr data-summary="">')[1].split("</tr>")[0]
    assert f'data-testid="people">{len(scores):,}<'.replace(",", ".") in overall
    # The unit page's second page: the unit's people 101 to 200 (250 at 5,000).
    assert large[3][2].count("<tr data-person=") == 100
    with capsys.disabled():
        print(
            "\nindividual pages at 200 / 5,000 people: queries",
            [q for q, _s, _p in small],
            "seconds",
            [round(s, 3) for _q, s, _p in small],
            "/",
            [round(s, 3) for _q, s, _p in large],
        )
