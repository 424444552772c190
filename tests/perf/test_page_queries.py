"""Every page's SQL, recorded: a page that gains a query (an N+1 from a new column, a
lookup moved into a loop, a lost select_related) fails here with the new query shown,
before anyone measures it in production. The records are the fingerprints django-perf-rec
keeps (values stripped), one file per database vendor (tests/perf/pages.<vendor>.perf.yml),
committed with the code.

When a page legitimately changes its queries, record again on both databases and commit
the files with the change, so the review sees the queries that were added:

    PERF_REC_MODE=overwrite ./scripts/test.sh tests/perf
    PERF_REC_MODE=overwrite DATABASE_URL=postgres://… ./scripts/test.sh tests/perf

CI runs with PERF_REC_MODE=none: a page without a record fails too. That the number of
queries does not grow with the data is asserted separately at two data sizes
(tests/*/test_queries.py); this file says which queries they are."""

from __future__ import annotations

from pathlib import Path

import django_perf_rec
import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.workflows import helpers as h

pytestmark = pytest.mark.usefixtures("demo_org")

RECORDS = Path(__file__).resolve().parent


def _pages(documents: dict[str, int]) -> list[tuple[str, str, str]]:
    """(record name, who, URL): the pages people open most, each as the person who uses it."""
    submitted = reverse("workflows:document", args=[documents["submitted"]])
    issued = reverse("workflows:document", args=[documents["issued"]])
    return [
        ("my-work.reviewer", h.REVIEWER, reverse("workflows:my_work")),
        ("my-work.drafter", h.DRAFTER, reverse("workflows:my_work")),
        ("documents.drafter", h.DRAFTER, reverse("workflows:documents")),
        ("document.submitted.reviewer", h.REVIEWER, submitted),
        ("document.issued.drafter", h.DRAFTER, issued),
        ("plans.drafter", h.DRAFTER, reverse("planning:list")),
        ("estimates.drafter", h.DRAFTER, reverse("budgeting:list")),
        ("standards.personnel", "soanthao.tccb", reverse("standards:list")),
        ("my-skills.drafter", h.DRAFTER, reverse("standards:my_skills")),
        ("audit.inspector", "thanhtra", reverse("audit:trail")),
        ("followup.clerk", "vanthu.vp", reverse("followup:page")),
        ("dashboard.minister", h.MINISTER, reverse("dashboard:index")),
        ("delegations.minister", h.MINISTER, reverse("delegation:register")),
        ("leave.drafter", h.DRAFTER, reverse("leave:mine")),
        ("criteria.council", "hoidong.tdkt", reverse("reporting:list")),
        ("notifications.drafter", h.DRAFTER, reverse("reminders:settings")),
        ("digitisation.clerk", "vanthu.vp", reverse("digitisation:batches")),
        ("digitisation-progress.centre", h.DRAFTER, reverse("digitisation:progress")),
        ("verify.drafter", h.DRAFTER, reverse("verification:verify")),
        ("reports.minister", h.MINISTER, reverse("reports:list")),
        ("my-score.drafter", h.DRAFTER, reverse("individual:mine")),
        ("courses.personnel", "soanthao.tccb", reverse("training:list")),
    ]  # fmt: skip


def test_every_page_runs_the_queries_it_ran_when_recorded():
    documents = {
        state: h.make_plan(state, year=2026 + i).pk
        for i, state in enumerate(("submitted", "issued"))
    }
    clients: dict[str, Client] = {}
    failures = []
    for name, username, url in _pages(documents):
        client = clients.get(username)
        if client is None:
            client = clients[username] = Client()
            client.force_login(h.person(username))
        # Warm what a process caches once (translations, registries, content types) so
        # the record does not depend on which test ran before.
        assert client.get(url).status_code == 200, (name, url)
        ContentType.objects.clear_cache()
        client.get(url)
        try:
            with django_perf_rec.record(
                record_name=name, path=str(RECORDS / f"pages.{connection.vendor}.perf.yml")
            ):
                response = client.get(url)
        except AssertionError as exc:
            failures.append(f"{name} ({url}): {exc}")
            continue
        assert response.status_code == 200, (name, url)
    assert not failures, "\n".join(failures)


def test_the_guard_fails_when_a_page_gains_a_query(tmp_path, settings):
    """The record compares, not only writes: one extra query on the page is caught."""
    settings.PERF_REC = {"MODE": "once"}
    client = Client()
    client.force_login(h.person(h.DRAFTER))
    url = reverse("planning:list")
    client.get(url)
    path = str(tmp_path / "page.perf.yml")
    with django_perf_rec.record(record_name="plans", path=path):
        client.get(url)
    with (
        pytest.raises(AssertionError, match="did not match"),
        django_perf_rec.record(record_name="plans", path=path),
    ):
        client.get(url)
        ContentType.objects.filter(app_label="planning").count()
