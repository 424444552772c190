from io import StringIO

import pytest
from django.core.management import call_command

from organisation.models import Person
from standards.demo import read
from standards.models import Certificate, Membership, Standard
from standards.services import in_force
from workflows.models import AuditEvent

pytestmark = pytest.mark.django_db


def _load_twice() -> None:
    """After the `demo` fixture's load (once per module), a second load adds nothing."""
    counts = (Standard.objects.count(), Certificate.objects.count(), AuditEvent.objects.count())
    call_command("load_demo", stdout=StringIO())
    assert (
        Standard.objects.count(),
        Certificate.objects.count(),
        AuditEvent.objects.count(),
    ) == counts


def test_one_standard_in_force_and_one_waiting_for_the_centres_opinion(demo, client):
    _load_twice()
    titles = [s["title"] for s in read("standards.yaml")["standards"]]
    current = in_force()
    assert current.document.title == titles[0]
    assert current.document.number_text == "01/QĐ-UBDT"
    pending = Standard.objects.select_related("document").get(document__title=titles[1])
    assert pending.document.state == "submitted"
    assert pending.document.reviewing_unit.code == "TTTT"

    client.force_login(Person.objects.get(username="soanthao.tttt"))
    assert titles[1] in client.get("/work/").content.decode()


def test_certificates_leave_gaps_for_the_compliance_pages(demo, client):
    _load_twice()
    data = read("certificates.yaml")
    # The demo's finished course awards certificates of its own (source training.course:…).
    assert Certificate.objects.filter(source="").count() == len(data["certificates"])
    assert not Certificate.objects.exclude(source="").exclude(source__startswith="training.")
    holders = set(Certificate.objects.values_list("person__username", flat=True))
    placed = Membership.objects.count()
    assert len(holders) < placed  # most people still lack a certificate
    assert placed >= 55
    client.force_login(Person.objects.get(username="soanthao.tccb"))
    page = client.get("/standards/compliance/")
    assert page.status_code == 200
    call_command("verify_audit", stdout=StringIO())


@pytest.mark.parametrize("name", ["groups.yaml", "standards.yaml", "certificates.yaml"])
def test_demo_data_files_load_with_the_expected_keys(name):
    assert read(name)
