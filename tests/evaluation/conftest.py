import pytest

from tests.workflows import helpers as h


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


@pytest.fixture
def as_user(client):
    def login(username):
        client.force_login(h.person(username))
        return client

    return login
