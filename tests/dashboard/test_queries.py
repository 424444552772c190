"""The dashboard's queries do not grow with the number of documents: the same count at
100 and at 10,000 waiting documents, for the page and for each chart."""

import datetime as dt
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from organisation.models import Person
from tests.dashboard.helpers import issued_document, waiting_documents

pytestmark = pytest.mark.django_db

URLS = [
    reverse("dashboard:index"),
    reverse("dashboard:chart", args=["waiting"]),
    reverse("dashboard:chart", args=["cycle"]),
    reverse("dashboard:index") + "?year=2027&kind=five_year_plan",
]
# Where the documents wait: four groups (steps and units), each overdue for some.
GROUPS = [
    {"step": "draft"},
    {"step": "review"},
    {"step": "review", "reviewing": "TCCB"},
    {"step": "sign"},
]


def add_documents(count: int) -> None:
    now = timezone.now()
    for i, group in enumerate(GROUPS):
        share = count // len(GROUPS)
        half = share // 2
        created = now - dt.timedelta(days=i + 1)
        yesterday = now.date() - dt.timedelta(days=1)
        waiting_documents(half, created=created, due_on=yesterday, **group)
        waiting_documents(share - half, created=created, **group)


def measure(client) -> tuple[dict[str, int], dict[str, float]]:
    counts, seconds = {}, {}
    for url in URLS:
        assert client.get(url).status_code == 200  # warm: templates, translations
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        seconds[url] = time.perf_counter() - start
        assert response.status_code == 200
        counts[url] = len(queries.captured_queries)
    return counts, seconds


def test_query_count_is_the_same_at_100_and_10000_documents(client, demo_org):
    issued = timezone.now() - dt.timedelta(days=3)
    for number in range(1, 4):
        issued_document(
            submitted=issued - dt.timedelta(days=10 * number), issued=issued, number=number
        )
    client.force_login(Person.objects.get(username="botruong"))
    add_documents(100)
    at_100, _ = measure(client)
    add_documents(9_900)
    at_10000, seconds = measure(client)
    assert at_10000 == at_100
    page = client.get(URLS[0]).content.decode()
    assert ">2.500<" in page  # each of the four groups now holds 2.500 documents
    print(
        "\nqueries:",
        at_10000,
        "\ntimes at 10,000 (ms):",
        {url: round(s * 1000) for url, s in seconds.items()},
    )


@pytest.mark.postgres
def test_postgresql_computes_the_percentiles_in_one_grouped_query(demo_org):
    from dashboard import selectors

    waiting_documents(5, created=timezone.now() - dt.timedelta(days=2))
    with CaptureQueriesContext(connection) as queries:
        rows = selectors.waiting_by_step_and_unit()
    grouped = [q["sql"] for q in queries.captured_queries if "percentile_cont" in q["sql"]]
    assert len(grouped) == 1 and "GROUP BY" in grouped[0]
    assert rows[0].waiting.count == 5
    assert rows[0].waiting.median == pytest.approx(2.0, abs=0.01)
