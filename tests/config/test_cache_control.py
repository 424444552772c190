"""Private pages and every export tell browsers and proxies to keep no copy
(config.middleware.NoStoreMiddleware): on a shared office computer the next person must
not find the last one's documents in the browser's cache."""

import pytest
from django.urls import reverse

from standards import demo as standards_demo
from tests.budgeting import helpers as budget
from tests.standards.conftest import issue_standard
from tests.workflows import helpers as h

pytestmark = pytest.mark.django_db


def _no_store(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


def _body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_signed_in_pages_are_not_stored(client, demo_org):
    plan = h.make_plan("issued")
    client.force_login(h.person("botruong"))
    for url in (
        reverse("workflows:my_work"),
        reverse("workflows:document", args=[plan.pk]),
        reverse("workflows:documents"),
        reverse("workflows:print", args=[plan.pk]),
        reverse("home"),
        reverse("workflows:document", args=[999_999]),  # a 404 page too
    ):
        response = client.get(url)
        assert _no_store(response), (url, response.status_code, response.get("Cache-Control"))


def test_the_admin_is_not_stored(client, demo_org):
    client.force_login(h.person("quantri"))
    response = client.get("/admin/organisation/person/")
    assert response.status_code == 200 and _no_store(response)


def test_every_export_is_not_stored(client, demo_org):
    estimate = budget.make_estimate()
    standards_demo.load_demo()  # the position groups the standard's matrix names
    issue_standard()
    exports = {
        "soanthao.tttt": [
            reverse("budgeting:export", args=[estimate.pk]),
            reverse("budgeting:template"),
        ],
        "thanhtra": [
            reverse("audit:export_csv"),
            reverse("audit:export_xlsx"),
            reverse("standards:compliance_export_csv"),
            reverse("standards:compliance_export_xlsx"),
            reverse("standards:compliance_unit_csv", args=["TCCB"]),
            reverse("standards:compliance_unit_xlsx", args=["TCCB"]),
        ],
    }
    for username, urls in exports.items():
        client.force_login(h.person(username))
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert response["Content-Disposition"].startswith("attachment"), url
            assert _no_store(response), (url, response.get("Cache-Control"))
            _body(response)


def test_sign_in_page_is_not_cached(client, demo_org):
    """It carries a CSRF token: Django's sign-in view marks it never-cache itself."""
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_a_header_the_view_sets_itself_is_kept(client, demo_org):
    response = client.get(reverse("healthz"))  # never_cache: stricter than no-store
    assert "must-revalidate" in response["Cache-Control"]


def test_an_anonymous_static_asset_may_be_cached(client):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    _body(response)
