"""Production serves static files through a strict manifest (hashed names). These tests
collect the way production does and serve pages from that manifest, so a stylesheet that
names a missing file, or a page that names an uncollected asset, fails here rather than
as a 500 on every page after deployment."""

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import override_settings

from tests.workflows.helpers import make_plan, person

MANIFEST = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


@pytest.fixture
def collected(tmp_path, settings):
    """collectstatic as in README's deployment steps, into a temporary STATIC_ROOT."""
    root = tmp_path / "static"
    with override_settings(STORAGES=MANIFEST, STATIC_ROOT=str(root), WHITENOISE_USE_FINDERS=False):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield root


def test_collectstatic_succeeds_with_the_production_manifest_storage(collected):
    assert (collected / "staticfiles.json").exists()
    assert (collected / "admin").is_dir()  # the admin is served
    assert not (collected / "viewflow").exists()  # viewflow's own frontend is not


def test_manifest_stays_strict_for_the_products_own_files(collected):
    assert staticfiles_storage.url("css/app.css").startswith("/static/css/app.")
    with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
        staticfiles_storage.url("css/does-not-exist.css")


@pytest.mark.django_db
def test_pages_render_from_the_manifest(collected, client, demo_org):
    plan = make_plan("issued")
    client.force_login(person("botruong"))
    for url in (
        "/accounts/password/",
        "/work/",
        "/documents/",
        f"/documents/{plan.pk}/",
        f"/documents/{plan.pk}/print/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    client.force_login(person("quantri"))
    assert client.get("/admin/").status_code == 200
    client.logout()
    assert client.get("/accounts/login/").status_code == 200
    client.force_login(person("botruong"))
    body = client.get(f"/documents/{plan.pk}/print/").content.decode()
    assert staticfiles_storage.url("css/print.css") in body
