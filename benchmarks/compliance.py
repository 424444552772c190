"""How fast is a unit's IT skills compliance page (GET /standards/compliance/units/<code>/)
for a unit of 2,000 people?

Creates a fresh database with the demo organisation and position groups, issues a
competency standard through the real services (draft, Centre's opinion, submission for
signature, Minister's signature; effective today, so in force), then bulk-creates one
unit of N people (default 2,000), each placed in a position group (or none) with 0 to 2
certificates, in a mix of compliant, partial, advanced-with-a-gap, nothing-required and
no-group people. Signs in as the Personnel Department's demo drafter (soanthao.tccb) and
times, with Django's test client (middleware, session, template rendering; no network):

- the unit page unfiltered, and with all three filters;
- the units summary (every person of the Committee);
- the unit's CSV and XLSX exports.

Reports median and p95 latency and the SQL queries of one request, at 20 people and at
N people: the query counts must be equal (the page computes in Python from a fixed
number of queries).

Usage (from the project root):

    python benchmarks/compliance.py [--people 2000] [--requests 30]
    DATABASE_URL=postgres://ubdt:ubdt@127.0.0.1:5432/ubdt python benchmarks/compliance.py
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time

import _common

BASIC = ["IU01", "IU02", "IU03", "IU04", "IU05", "IU06"]
# (position group, modules held)
PROFILES = [
    ("CHUYENVIEN", BASIC),
    ("CHUYENVIEN", ["IU01", "IU02", "IU03"]),
    ("CNTT", [*BASIC, "IU07", "IU09"]),
    ("CNTT", [*BASIC, "IU07", "IU09", "IU14"]),
    ("LANHDAO_VU", BASIC),
    ("HANHCHINH", []),
    (None, ["IU01"]),
]


def issue_standard(people) -> None:
    from django.utils import timezone

    from signing import step_up
    from standards import services
    from workflows import services as engine

    drafter = people["soanthao.tccb"]
    standard = services.standard_create(user=drafter, title="Chuẩn kỹ năng sử dụng CNTT")
    document_id = standard.document_id
    services.standard_update(
        user=drafter,
        document_id=document_id,
        version=None,
        title="Chuẩn kỹ năng sử dụng CNTT",
        sections={"scope": "Công chức, viên chức.", "applies_to": "Các Vụ, đơn vị."},
        effective_date=timezone.localdate(),
        months_to_comply=12,
        requirements=[
            services.RequirementRow("LANHDAO_UB", "none"),
            services.RequirementRow("LANHDAO_VU", "basic"),
            services.RequirementRow("CHUYENVIEN", "basic"),
            services.RequirementRow("CNTT", "advanced", ["IU07", "IU09", "IU14"]),
            services.RequirementRow("HANHCHINH", "none"),
        ],
        items=[],
    )
    for action, username, extra in (
        ("submit", "soanthao.tccb", {}),
        ("opinion", "soanthao.tttt", {"verdict": "agree"}),
        ("submit_to_signer", "soanthao.tccb", {}),
        ("sign", "botruong", {"session": step_up.scripted_session()}),
        ("issue", "vanthu.vp", {}),
    ):
        engine.document_act(user=people[username], document_id=document_id, action=action, **extra)
    assert services.in_force() is not None, "the standard is not in force"


def add_people(unit, count: int, start: int, recorder, batch: int = 1000) -> None:
    from django.db import transaction

    from organisation.models import Person
    from standards.models import Certificate, Membership, Module, PositionGroup

    groups = {g.code: g for g in PositionGroup.objects.all()}
    modules = {m.code: m.pk for m in Module.objects.all()}
    through = Certificate.modules.through
    for first in range(start, start + count, batch):
        n = min(batch, start + count - first)
        with transaction.atomic():
            people = Person.objects.bulk_create(
                Person(
                    username=f"nv{first + i:05d}",
                    full_name=f"Nguyễn Văn Số {first + i:05d}",
                    unit=unit,
                    password="!",  # unusable
                )
                for i in range(n)
            )
            profiles = list(itertools.islice(itertools.cycle(PROFILES), first, first + n))
            Membership.objects.bulk_create(
                Membership(person=p, group=groups[code])
                for p, (code, _held) in zip(people, profiles, strict=True)
                if code
            )
            certificates, covers = [], []
            for p, (_code, held) in zip(people, profiles, strict=True):
                for part, codes in enumerate((held[:4], held[4:])):
                    if codes:
                        certificates.append(
                            Certificate(
                                person=p,
                                issued_on="2024-01-15",
                                issuing_body="Trung tâm Tin học",
                                number=f"{p.username}-{part}",
                                recorded_by=recorder,
                            )
                        )
                        covers.append(codes)
            certificates = Certificate.objects.bulk_create(certificates)
            through.objects.bulk_create(
                through(certificate_id=c.pk, module_id=modules[code])
                for c, codes in zip(certificates, covers, strict=True)
                for code in codes
            )


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "postgresql" else "PRAGMA optimize")


def measure(client, url: str, requests: int) -> tuple[list[float], int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if getattr(response, "streaming", False):
            return b"".join(response.streaming_content)
        return response.content

    for _ in range(3):  # warm up: templates, translations, connection
        get()
    samples = []
    for _ in range(requests):
        start = time.perf_counter()
        get()
        samples.append(time.perf_counter() - start)
    with CaptureQueriesContext(connection) as queries:
        size = len(get())
    return samples, len(queries.captured_queries), size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=2000, help="people in the unit (2000)")
    parser.add_argument("--requests", type=int, default=30, help="timed requests (30)")
    args = parser.parse_args()

    with _common.fresh_database("compliance") as database:
        from django.test import Client
        from django.urls import reverse

        from organisation.models import Unit
        from standards.demo import load_groups

        print(f"Compliance benchmark — {database}; {_common.machine()}")
        load_groups()
        people = _common.people()
        issue_standard(people)
        unit = Unit.objects.create(code="DPT", name_vi="Vụ Địa phương", name_en="Local Affairs")
        unit_url = reverse("standards:compliance_unit", args=[unit.code])
        pages = [
            ("unit page", unit_url),
            ("unit page, filtered", f"{unit_url}?group=CNTT&compliant=no&q=nguyen"),
            ("units summary", reverse("standards:compliance")),
            ("unit CSV export", reverse("standards:compliance_unit_csv", args=[unit.code])),
            ("unit XLSX export", reverse("standards:compliance_unit_xlsx", args=[unit.code])),
        ]
        client = Client()
        client.force_login(people["soanthao.tccb"])

        add_people(unit, 20, 0, people["soanthao.tccb"])
        analyze()
        small = {label: measure(client, url, 3)[1] for label, url in pages}

        print(f"Creating {args.people} people in one unit…", flush=True)
        with _common.Stopwatch() as setup:
            add_people(unit, args.people - 20, 20, people["soanthao.tccb"])
        analyze()
        print(f"  done in {setup.seconds:.1f} s")

        same = True
        for label, url in pages:
            samples, n_queries, size = measure(client, url, args.requests)
            same &= n_queries == small[label]
            print(
                f"{label} ({args.people} people): {_common.summarise_ms(samples)}, "
                f"{n_queries} queries (at 20 people: {small[label]}), {size // 1024} KiB"
            )
        print("query counts equal at 20 and at", args.people, "people:", "yes" if same else "NO")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
