import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    """Messages are compared in English (the msgids), whatever the lead translates; and a
    request in English leaves no language behind for the next test."""
    with translation.override("en"):
        yield
