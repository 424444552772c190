import pytest

from tests.digitisation import helpers as d
from tests.workflows import helpers as h


@pytest.fixture
def task(demo_org):
    return d.issued_task()


@pytest.fixture
def as_user(client):
    """The test client signed in as one of the demo people."""

    def login(username):
        client.force_login(h.person(username))
        return client

    return login
