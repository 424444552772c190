import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from organisation.models import Person

# Apart from tests/organisation/test_demo.py: its module-wide demo (the `demo` fixture)
# would already fill the database this test checks stays empty.


@pytest.mark.django_db
def test_demo_refuses_to_run_under_production_settings(settings):
    settings.IS_PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("load_demo")
    assert not Person.objects.exists()
