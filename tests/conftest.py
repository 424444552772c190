import pytest

from organisation.demo import load_organisation


@pytest.fixture
def demo_org(db):
    """The demo organisation: seven units and one person per role."""
    load_organisation()
