"""An estimate's document page and its diff page run a fixed number of queries, whatever
the number of lines: the same at 20 as at 2,000. The lines are written with bulk_create
for speed; the revisions are made by real submissions, so their snapshots exist."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgeting.models import LineItem
from tests.budgeting import helpers as b
from tests.workflows import helpers as h

pytestmark = pytest.mark.usefixtures("demo_org")


def estimate_with_two_revisions(lines: int, year: int):
    """Submitted twice: revision 1 with `lines` lines, then returned, a few lines changed,
    one removed and one added, and submitted again as revision 2 (now awaiting review)."""
    plan = b.annual_plan(year)
    document = b.create_estimate(year)
    b.bulk_lines(document, lines, plan_task=b.task(plan, 0))
    h.act(document, "submit", h.DRAFTER)
    h.act(document, "return", h.REVIEWER, comment="Rà soát lại đơn giá.")
    ours = LineItem.objects.filter(estimate__document=document).order_by("position")
    changed = list(ours[:3])
    for line in changed:
        line.quantity += 1
        line.amount = line.quantity * line.unit_price
    LineItem.objects.bulk_update(changed, ["quantity", "amount"])
    ours.last().delete()
    b.bulk_lines(document, 1, start=lines)
    h.act(document, "submit", h.DRAFTER)
    document = b.fresh(document)
    assert document.revision_count == 2
    assert len(document.revisions.get(number=2).content["tables"]["lines"]) == lines
    return document


def queries_for(client, url: str) -> tuple[int, bytes]:
    client.get(url)  # warm per-process caches (content types, translations, templates)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content


PAGES = {
    "document": lambda d: reverse("workflows:document", args=[d.pk]),
    "diff": lambda d: reverse("workflows:compare", args=[d.pk]) + "?from=1&to=2",
}
USERS = (h.DRAFTER, h.REVIEWER, "thanhtra")


def counts(client, document) -> dict:
    found = {}
    for username in USERS:
        client.force_login(h.person(username))
        for page, url in PAGES.items():
            found[username, page], body = queries_for(client, url(document))
            if page == "diff":
                # The page really shows the changes (not an empty diff twice).
                assert "Dòng dự toán số 1".encode() in body
    return found


def test_document_and_diff_pages_run_the_same_queries_at_20_and_at_2000_lines(client):
    small = estimate_with_two_revisions(20, 2027)
    large = estimate_with_two_revisions(2_000, 2028)

    small_counts = counts(client, small)
    large_counts = counts(client, large)

    assert large_counts == small_counts
    # The large page shows all its lines.
    client.force_login(h.person(h.REVIEWER))
    response = client.get(reverse("workflows:document", args=[large.pk]))
    assert response.content.count("Dòng dự toán số ".encode()) >= 2_000


def test_the_review_page_runs_the_same_queries_at_20_and_at_2000_lines(client):
    small = estimate_with_two_revisions(20, 2027)
    large = estimate_with_two_revisions(2_000, 2028)
    client.force_login(h.person(h.REVIEWER))

    def review_url(document):
        return reverse("workflows:review", args=[document.pk, h.open_task(document).pk])

    assert queries_for(client, review_url(large))[0] == queries_for(client, review_url(small))[0]
