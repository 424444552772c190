"""The administrator's view of outgoing mail: filter, search, read-only rows, retry."""

from __future__ import annotations

import pytest
from django.core import mail as django_mail
from django.utils import timezone

from outbox.models import Mail, Status
from tests.workflows import helpers as h

pytestmark = pytest.mark.usefixtures("demo_org")

URL = "/admin/outbox/mail/"


def make(key: str, status: str, subject: str = "Thông báo") -> Mail:
    return Mail.objects.create(
        key=key,
        to=[f"{key}@example.gov.vn"],
        from_email="khcntt@ubdt.gov.vn",
        subject=subject,
        body="Nội dung",
        status=status,
        attempts=10 if status == Status.FAILED else 0,
        next_attempt_at=timezone.now(),
        last_error="SMTPServerDisconnected" if status == Status.FAILED else "",
    )


@pytest.fixture
def admin_client(client):
    client.force_login(h.person("quantri"))
    return client


def test_the_administrator_filters_and_searches_outgoing_mail(admin_client):
    make("a", Status.FAILED, "Kế hoạch bị trả lại")
    make("b", Status.SENT, "Kế hoạch đã ban hành")
    make("c", Status.PENDING, "Dự toán chờ thẩm định")

    failed = admin_client.get(URL, {"status__exact": "failed"}).content.decode()
    assert "Kế hoạch bị trả lại" in failed and "Kế hoạch đã ban hành" not in failed

    found = admin_client.get(URL, {"q": "Dự toán"}).content.decode()
    assert "Dự toán chờ thẩm định" in found and "Kế hoạch" not in found


def test_rows_are_read_only_and_cannot_be_added_or_deleted(admin_client):
    row = make("a", Status.FAILED)
    page = admin_client.get(f"{URL}{row.pk}/change/")
    assert page.status_code == 200
    assert 'name="subject"' not in page.content.decode()
    admin_client.post(f"{URL}{row.pk}/change/", {"subject": "changed", "status": "sent"})
    row.refresh_from_db()
    assert (row.subject, row.status) == ("Thông báo", Status.FAILED)
    assert admin_client.get(f"{URL}add/").status_code == 403
    assert admin_client.get(f"{URL}{row.pk}/delete/").status_code == 403


def test_retry_sends_a_failed_mail_again_and_leaves_the_others(
    admin_client, django_capture_on_commit_callbacks
):
    failed = make("a", Status.FAILED)
    sent = make("b", Status.SENT)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            URL, {"action": "retry", "_selected_action": [failed.pk, sent.pk]}, follow=True
        )
    assert response.status_code == 200
    failed.refresh_from_db()
    sent.refresh_from_db()
    assert (failed.status, failed.attempts) == (Status.SENT, 1)
    assert sent.status == Status.SENT
    assert [m.to for m in django_mail.outbox] == [["a@example.gov.vn"]]
