"""Keyset pages of the audit trail: walking down and back up visits every event exactly
once, in order, with or without a date range; an altered token starts from the top; a
filtered list counts only up to its cap."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from organisation.models import Person
from workflows import audit, audit_views, keyset
from workflows.models import AuditEvent

pytestmark = pytest.mark.usefixtures("demo_org")


@pytest.fixture
def inspector(client):
    """Signed in before the events are written: signing in appends to the chain too."""
    client.force_login(Person.objects.get(username="thanhtra"))
    client.get(reverse("audit:trail"))
    return client


@pytest.fixture
def events(inspector):
    """24 events, several in the same instant (the second key, seq, breaks the tie) and
    some later in seq but earlier in time, as concurrent transactions can leave them."""
    start = AuditEvent.objects.count()
    now = timezone.now()
    AuditEvent.objects.bulk_create(
        AuditEvent(
            seq=start + i + 1,
            created_at=now - dt.timedelta(hours=1 if i % 3 == 0 else 0),
            action=audit.DENIED,
            comment=f"sự kiện {i}",
            comment_folded=f"su kien {i}",
            prev_hash="0" * 64,
            hash="0" * 64,
        )
        for i in range(24)
    )
    return list(AuditEvent.objects.order_by("-seq").values_list("seq", flat=True))


@pytest.mark.parametrize("keys", [("seq",), ("created_at", "seq")])
def test_walking_down_then_up_visits_every_event_once_in_order(events, keys):
    qs = AuditEvent.objects.all()
    expected = list(qs.order_by(*(f"-{k}" for k in keys)).values_list("seq", flat=True))
    seen, pages = [], []
    page = keyset.keyset_page(qs, keys=keys, size=5)
    while True:
        pages.append([e.seq for e in page])
        seen += pages[-1]
        if not page.older:
            break
        page = keyset.keyset_page(qs, keys=keys, older=page.older, size=5)
    assert seen == expected and len(pages) == 5  # 24 events, 5 a page
    back = [pages[-1]]
    while page.newer:
        page = keyset.keyset_page(qs, keys=keys, newer=page.newer, size=5)
        back.append([e.seq for e in page])
    assert back[::-1] == pages
    assert page.newer is None  # back at the top


@pytest.mark.parametrize("token", ["", "abc", "1~2", "9" * 40, "2026-13-45T99:00~3"])
def test_an_altered_token_starts_from_the_top(events, token):
    page = keyset.keyset_page(AuditEvent.objects.all(), keys=("seq",), older=token, size=5)
    assert [e.seq for e in page] == events[:5]


def test_the_trail_pages_through_links_and_counts_from_the_chain_head(
    inspector, events, monkeypatch
):
    client = inspector
    response = client.get(reverse("audit:trail"))
    assert response.context["page"].count == AuditEvent.objects.count()
    html = response.content.decode()
    assert 'data-testid="page-older"' not in html  # fewer than 50 events
    monkeypatch.setattr(audit_views, "PAGE_SIZE", 10)
    response = client.get(reverse("audit:trail"), {"q": "sự kiện"})
    older = re.search(r'href="\?([^"]*older=[^"]+)"', response.content.decode()).group(1)
    second = client.get(reverse("audit:trail") + "?" + older.replace("&amp;", "&"))
    assert second.status_code == 200
    assert [e.seq for e in second.context["page"]] == events[10:20]
    assert second.context["page"].count == 24


@pytest.mark.parametrize(
    ("query", "cap"),
    [
        ({"action": audit.DENIED}, 20),
        # Words searched in the events' own text count less far: each match is read.
        ({"q": "sự kiện"}, 5),
        ({"actor": "Không có ai tên này"}, 5),
    ],
)
def test_a_filtered_list_counts_up_to_its_cap(inspector, events, monkeypatch, query, cap):
    monkeypatch.setattr(audit_views, "COUNT_CAP", 20)
    monkeypatch.setattr(audit_views, "TEXT_COUNT_CAP", 5)
    if "actor" in query:  # events of someone without an account any more: by name
        start = AuditEvent.objects.count()
        AuditEvent.objects.bulk_create(
            AuditEvent(
                seq=start + i + 1,
                created_at=timezone.now(),
                action=audit.DENIED,
                actor_name=query["actor"],
                prev_hash="0" * 64,
                hash="0" * 64,
            )
            for i in range(10)
        )
    response = inspector.get(reverse("audit:trail"), query)
    page = response.context["page"]
    assert (page.count, page.count_is_lower_bound) == (cap, True)
    assert f"hơn {cap} sự kiện" in response.content.decode()
