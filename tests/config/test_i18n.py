import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import formats, timezone, translation

from tests.factories import PersonFactory


@pytest.mark.parametrize("language", ["vi", "en"])
def test_dates_are_day_month_year(language):
    with translation.override(language):
        assert formats.date_format(dt.date(2026, 3, 7)) == "07/03/2026"
        assert formats.date_format(dt.date(2026, 3, 7), "SHORT_DATE_FORMAT") == "07/03/2026"


@pytest.mark.parametrize("language", ["vi", "en"])
def test_money_uses_dots_between_thousands(language):
    with translation.override(language):
        assert formats.number_format(1234567890, force_grouping=True) == "1.234.567.890"
        assert formats.number_format(Decimal("1234.5"), 1, force_grouping=True) == "1.234,5"


def test_times_are_stored_in_utc_and_shown_in_hanoi_time():
    moment = dt.datetime(2026, 11, 29, 17, 30, tzinfo=dt.UTC)
    rendered = Template("{{ t|date:'SHORT_DATETIME_FORMAT' }}").render(Context({"t": moment}))
    assert rendered == "30/11/2026 00:30"
    assert timezone.now().tzinfo is dt.UTC


@pytest.mark.django_db
def test_language_switch_turns_the_interface_english_and_back(client):
    client.force_login(PersonFactory())
    assert "Trang chủ" in client.get(reverse("home")).content.decode()
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get(reverse("home")).content.decode()
    assert "Home" in page and "Trang chủ" not in page
    assert '<html lang="en">' in page
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    assert "Trang chủ" in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_language_switch_refuses_an_unknown_language(client):
    client.force_login(PersonFactory())
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert "Trang chủ" in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_language_switch_does_not_redirect_off_site(client):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_browser_language_does_not_override_the_vietnamese_default(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Đăng nhập" in response.content.decode()
    assert response["Content-Language"] == "vi"


def test_a_chosen_language_is_kept_in_a_cookie(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("login"))
    assert "Sign in" in response.content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "klingon"
    assert "Đăng nhập" in client.get(reverse("login")).content.decode()
