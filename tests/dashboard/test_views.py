"""The dashboard page and its SVG charts over HTTP: who may see them, what they show,
bad input, and the charts' own CSP."""

import base64
import datetime as dt
import hashlib
import re
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django.urls import reverse

from organisation import navigation, roles
from organisation.models import Person
from tests.dashboard.helpers import issued_document, waiting_documents
from tests.workflows.helpers import USER_FOR_ROLE
from worktime.calendar import VIETNAM

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2027, 3, 10, 10, 0, tzinfo=VIETNAM)
ALLOWED = {roles.CENTRE_DRAFTER, roles.OFFICE_CLERK, roles.MINISTER, roles.VICE_MINISTER}
INDEX = reverse("dashboard:index")
WAITING_SVG = reverse("dashboard:chart", args=["waiting"])
CYCLE_SVG = reverse("dashboard:chart", args=["cycle"])


@pytest.fixture
def as_user(client, demo_org):
    def login(username):
        client.force_login(Person.objects.get(username=username))
        return client

    return login


@pytest.mark.parametrize("role", sorted(USER_FOR_ROLE))
@pytest.mark.parametrize("url", [INDEX, WAITING_SVG, CYCLE_SVG])
def test_leaders_office_and_centre_see_it_others_get_403(as_user, role, url):
    client = as_user(USER_FOR_ROLE[role])
    assert client.get(url).status_code == (200 if role in ALLOWED else 403)


@pytest.mark.parametrize("role", sorted(USER_FOR_ROLE))
def test_main_menu_has_the_dashboard_for_those_roles_only(demo_org, role):
    person = Person.objects.get(username=USER_FOR_ROLE[role])
    keys = [item["key"] for item in navigation.items_for(person)]
    assert ("dashboard" in keys) == (role in ALLOWED)


def test_centre_rule_needs_both_the_unit_and_the_drafting_permission(as_user, demo_org):
    from tests.factories import PersonFactory, UnitFactory

    # The administrator sits in the Centre without drafting: 403 (above). A drafter of
    # plans in another unit: 403 too.
    PersonFactory(
        username="drafter.elsewhere", unit=UnitFactory(code="CSDT"), role="centre_drafter"
    )
    assert as_user("drafter.elsewhere").get(INDEX).status_code == 403


def test_anonymous_is_sent_to_sign_in(client, demo_org):
    response = client.get(INDEX)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.fixture
def data(demo_org):
    with time_machine.travel(NOW, tick=False):
        for days in (1, 2, 3, 10):
            waiting_documents(
                1, step="review", created=NOW - dt.timedelta(days=days), due_on=dt.date(2027, 3, 1)
            )
        waiting_documents(1, step="sign", created=NOW - dt.timedelta(days=1234.56))
    issued = dt.datetime(2027, 2, 1, 9, 0, tzinfo=VIETNAM)
    issued_document(submitted=issued - dt.timedelta(days=12.25), issued=issued)


def _rows(html: str, testid: str) -> list[list[str]]:
    table = html.split(f'data-testid="{testid}"', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def test_page_shows_the_figures_in_vietnamese_formats(as_user, data):
    with time_machine.travel(NOW, tick=False):
        client = as_user("botruong")
        html = client.get(INDEX).content.decode()
    assert "Số liệu đến ngày 10/03/2027" in html
    assert _rows(html, "waiting-table") == [
        ["Thẩm định", "Vụ Kế hoạch", "4", "2,5", "7,9", "4"],
        ["Ký", "Lãnh đạo Ủy ban", "1", "1.234,6", "1.234,6", "0"],
    ]
    assert _rows(html, "cycle-table") == [
        ["Kế hoạch ứng dụng CNTT giai đoạn 5 năm", "2027", "1", "12,3", "12,3"],
    ]


def test_page_in_english_has_english_labels_and_the_products_formats(as_user, data):
    """The product writes numbers 1.234,5 and dates dd/mm/yyyy in both languages
    (config/formats)."""
    with time_machine.travel(NOW, tick=False):
        client = as_user("botruong")
        client.cookies["ubdt_language"] = "en"
        html = client.get(INDEX).content.decode()
    assert "Figures as of 10/03/2027" in html
    assert _rows(html, "waiting-table") == [
        ["Review", "Planning Department", "4", "2,5", "7,9", "4"],
        ["Sign", "Committee leadership", "1", "1.234,6", "1.234,6", "0"],
    ]


def test_filters_narrow_the_figures_and_reach_the_charts(as_user, data):
    with time_machine.travel(NOW, tick=False):
        client = as_user("vanthu.vp")
        html = client.get(INDEX, {"year": "2026", "kind": ""}).content.decode()
    assert "Không có văn bản nào đang chờ." in html
    assert f'src="{WAITING_SVG}?year=2026&amp;kind="' in html


@pytest.mark.parametrize(
    "query",
    [
        {"year": "abc"},
        {"year": "99999999999999999999999"},
        {"year": "1"},
        {"kind": "no-such-kind"},
        {"kind": ["a", "b"], "year": "2027\x00"},
    ],
)
def test_bad_filters_are_a_400_with_the_form_never_a_500(as_user, data, query):
    client = as_user("botruong")
    response = client.get(INDEX, query)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert client.get(WAITING_SVG, query).status_code == 400


def test_unknown_chart_is_404(as_user, demo_org):
    assert as_user("botruong").get(reverse("dashboard:chart", args=["other"])).status_code == 404


@pytest.mark.parametrize("url", [WAITING_SVG, CYCLE_SVG])
def test_svg_has_no_script_and_a_csp_allowing_only_its_own_style(as_user, data, url):
    with time_machine.travel(NOW, tick=False):
        response = as_user("botruong").get(url)
    assert response["Content-Type"].startswith("image/svg+xml")
    svg = response.content.decode()
    root = ET.fromstring(response.content)
    tags = {element.tag.rsplit("}", 1)[-1] for element in root.iter()}
    assert "script" not in tags and "<script" not in svg
    assert "http://" not in svg.split("-->")[-1] and "https://" not in svg
    assert not [e for e in root.iter() if e.get("style") is not None]
    styles = [e.text for e in root.iter() if e.tag.rsplit("}", 1)[-1] == "style"]
    hashes = [base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in styles]
    assert hashes
    policy = response["Content-Security-Policy"]
    assert policy.startswith("default-src 'none'; style-src ")
    assert all(f"'sha256-{h}'" in policy for h in hashes)
    assert "unsafe-inline" not in policy and "script-src" not in policy


def test_page_csp_is_the_products_own(as_user, data):
    policy = as_user("botruong").get(INDEX)["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_chart_labels_and_numbers_follow_the_language(as_user, data):
    with time_machine.travel(NOW, tick=False):
        svg = as_user("botruong").get(WAITING_SVG).content.decode()
    assert "Thẩm định · Vụ Kế hoạch" in svg
    assert "Trung vị" in svg and "2,5" in svg
