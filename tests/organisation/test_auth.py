import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from organisation import roles
from tests.factories import PASSWORD, PersonFactory

pytestmark = pytest.mark.django_db


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_pages_need_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_healthz_is_public_and_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_a_broken_database(client, monkeypatch):
    from django.db import connection

    def broken(*args, **kwargs):
        raise connection.Database.OperationalError("down")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"


def test_login_page_is_public_and_in_vietnamese_by_default(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Đăng nhập" in response.content.decode()


def test_successful_login_shows_name_unit_and_role(client):
    PersonFactory(
        username="an",
        full_name="Nguyễn Văn An",
        unit__code="TTTT",
        unit__name_vi="Trung tâm Thông tin",
        role=roles.CENTRE_DRAFTER,
    )
    response = _login(client, "an", PASSWORD)
    assert response.status_code == 302
    page = client.get(reverse("home")).content.decode()
    assert "Nguyễn Văn An" in page
    assert "Trung tâm Thông tin" in page
    assert "Cán bộ soạn thảo (Trung tâm Thông tin)" in page


def test_wrong_password_shows_an_error(client):
    PersonFactory(username="an")
    response = _login(client, "an", "wrong-password")
    assert response.status_code == 200
    assert "Sai tên đăng nhập hoặc mật khẩu" in response.content.decode()


def test_lockout_after_the_configured_number_of_failures(client, settings):
    PersonFactory(username="an")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "an", "wrong").status_code == 200
    response = _login(client, "an", "wrong")
    assert response.status_code == 429
    body = response.content.decode()
    assert "bị khóa" in body and "15 phút" in body
    # Even the right password is refused while locked.
    response = _login(client, "an", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("name", ["Ứ" * 5001, "a\x00b" * 100, "x" * 300])
def test_an_overlong_user_name_is_refused_not_an_error(client, name):
    """Axes stored the raw name in a 255-character column: PostgreSQL refused it (500)."""
    response = _login(client, name, "wrong")
    assert response.status_code == 200
    assert "Sai tên đăng nhập hoặc mật khẩu" in response.content.decode()
    for attempt in AccessAttempt.objects.all():  # a name with NUL never reaches axes
        assert len(attempt.username) <= 150 and "\x00" not in attempt.username


def test_lockout_does_not_spill_to_other_accounts(client, settings):
    PersonFactory(username="an")
    PersonFactory(username="binh")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "an", "wrong")
    assert _login(client, "binh", PASSWORD).status_code == 302


def test_logout_needs_post_and_ends_the_session(client):
    person = PersonFactory()
    client.force_login(person)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_password_change(client):
    person = PersonFactory()
    client.force_login(person)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-much-better-passphrase-2026",
            "new_password2": "a-much-better-passphrase-2026",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password("a-much-better-passphrase-2026")


def test_password_change_rejects_weak_password_in_vietnamese(client):
    person = PersonFactory()
    client.force_login(person)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.check_password(PASSWORD)
    assert "Mật khẩu" in response.content.decode()


def test_session_expires_after_inactivity(client):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client.force_login(PersonFactory())
    assert client.get(reverse("home")).status_code == 200
    session = Session.objects.get(session_key=client.session.session_key)
    # Each request pushes expiry 30 minutes ahead of now.
    remaining = session.expire_date - timezone.now()
    assert timedelta(minutes=29) < remaining <= timedelta(minutes=30)
    # 31 idle minutes later the session is gone.
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(minutes=1))
    assert client.get(reverse("home")).status_code == 302


def test_every_page_sends_a_strict_csp(client):
    response = client.get(reverse("login"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "default-src 'self'" in csp


def test_pages_reference_no_external_assets(client):
    client.force_login(PersonFactory(role=roles.MINISTER))
    page = client.get(reverse("home")).content.decode()
    assert "http://" not in page.replace("http://www.w3.org", "")
    assert "https://" not in page
    assert "<script>" not in page


def test_unknown_url_is_a_localised_404(client):
    client.force_login(PersonFactory())
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy" in response.content.decode()


def test_csrf_failure_is_a_localised_403():
    from django.test import Client

    person = PersonFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    response = client.post(reverse("logout"))
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in response.content.decode()


def test_behind_the_proxy_a_lockout_holds_only_for_the_client_that_failed(client, settings):
    """Behind nginx every request comes from 127.0.0.1: counted by that address, five
    wrong passwords from anyone locked the name out for everyone (axes then ignored
    PROXY_COUNT, having no ipware). The client address is X-Forwarded-For's, as the
    audit trail records it."""
    settings.AXES_IPWARE_PROXY_COUNT = 1
    PersonFactory(username="an")
    attacker = {"HTTP_X_FORWARDED_FOR": "203.0.113.9", "REMOTE_ADDR": "127.0.0.1"}
    owner = {"HTTP_X_FORWARDED_FOR": "10.20.30.40", "REMOTE_ADDR": "127.0.0.1"}
    url = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "an", "password": "wrong"}, **attacker)
    assert client.post(url, {"username": "an", "password": PASSWORD}, **attacker).status_code == 429
    assert client.post(url, {"username": "an", "password": PASSWORD}, **owner).status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}


def test_the_audit_trail_records_the_client_behind_the_proxy_not_the_proxy(rf, settings):
    from workflows.audit import client_ip

    settings.AXES_IPWARE_PROXY_COUNT = 1
    # The client may send its own X-Forwarded-For: nginx appends the address it saw.
    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7", REMOTE_ADDR="127.0.0.1")
    assert client_ip(request) == "198.51.100.7"
    settings.AXES_IPWARE_PROXY_COUNT = None
    assert client_ip(request) == "127.0.0.1"
