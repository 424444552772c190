"""Recording certificates: every bad input is refused with a clear message and nothing is
saved, through the service and through the form (400, never 500); each write is audited."""

from __future__ import annotations

import datetime as dt
from unittest.mock import patch

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from standards import certificates
from standards.models import Certificate
from tests.standards.conftest import BASIC, DRAFTER, client_for
from tests.workflows import helpers as h
from workflows.exceptions import ActionForbidden, InvalidInput
from workflows.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("org")]

BODY = "Trường Đại học Sư phạm Hà Nội"
URL = reverse("standards:certificate_new")


def record(**overrides):
    values = {
        "user": h.person(DRAFTER),
        "person_id": h.person("vanthu.vp").pk,
        "module_codes": BASIC,
        "issued_on": dt.date(2024, 3, 15),
        "issuing_body": BODY,
        "number": "A-000123",
    }
    values.update(overrides)
    return certificates.certificate_record(**values)


def problems(**overrides) -> list[str]:
    with pytest.raises(InvalidInput) as info:
        record(**overrides)
    return info.value.problems


def recorded_events():
    return AuditEvent.objects.filter(action=certificates.RECORDED)


# --- Service --------------------------------------------------------------------------


def test_a_certificate_is_recorded_and_audited():
    certificate = record(ip="10.0.0.7")
    assert sorted(certificate.modules.values_list("code", flat=True)) == BASIC
    assert certificate.recorded_by.username == DRAFTER
    event = recorded_events().get()
    assert event.actor.username == DRAFTER
    assert event.ip == "10.0.0.7"
    assert event.data["number"] == "A-000123"
    assert event.data["modules"] == BASIC
    assert event.data["person"] == h.person("vanthu.vp").pk
    assert event.data["issued_on"] == "2024-03-15"


def test_unknown_module_codes():
    assert problems(module_codes=["IU01", "IU99", "XX"]) == ["Unknown module codes: IU99, XX."]


def test_no_module():
    assert problems(module_codes=[]) == ["Tick at least one module the certificate covers."]
    assert problems(module_codes=["  "]) == ["Tick at least one module the certificate covers."]


def test_date_in_the_future():
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    [problem] = problems(issued_on=tomorrow)
    assert "is in the future" in problem
    # Today is fine.
    record(issued_on=timezone.localdate())


def test_date_with_a_mistyped_year():
    assert problems(issued_on=dt.date(24, 3, 15)) == [
        "The date issued (15/03/0024) is too long ago: check the year."
    ]


def test_missing_fields_are_all_reported_at_once():
    assert problems(person_id=None, module_codes=None, issued_on=None, issuing_body=" ", number="")
    assert problems(
        person_id=None, module_codes=None, issued_on=None, issuing_body=" ", number=""
    ) == [
        "Choose the person who holds the certificate.",
        "Tick at least one module the certificate covers.",
        "Give the date the certificate was issued.",
        "Give the body that issued the certificate.",
        "Give the certificate number.",
    ]


def test_unknown_person_and_wrong_types():
    assert problems(person_id=999_999) == ["Choose the person who holds the certificate."]
    assert problems(person_id="abc") == ["Choose the person who holds the certificate."]
    assert problems(issued_on="15/03/2024") == ["The date issued must be a date (dd/mm/yyyy)."]


def test_too_long_and_control_characters():
    assert problems(issuing_body="x" * 301) == [
        "The issuing body may be at most 300 characters: shorten it."
    ]
    assert problems(number="9" * 101) == [
        "The certificate number may be at most 100 characters: shorten it."
    ]
    assert problems(number="A\x00B") == [
        "The issuing body and number may not contain control characters."
    ]


def test_duplicate_number_for_the_same_body():
    first = record()
    [problem] = problems(person_id=h.person("botruong").pk)
    assert "“A-000123”" in problem and "already recorded" in problem
    # Extra spaces do not make a different certificate.
    [problem] = problems(number="  A-000123 ", issuing_body=f" {BODY}  ")
    assert "already recorded" in problem
    # The same number from another body is another certificate.
    record(issuing_body="Trung tâm Tin học Thành phố", number="A-000123")
    assert Certificate.objects.count() == 2
    assert recorded_events().count() == 2
    assert Certificate.objects.get(pk=first.pk).issuing_body == BODY


def test_duplicate_found_only_by_the_database_constraint_is_invalid_input():
    """A concurrent recording committed between the check and the insert: the unique
    constraint catches it and the person gets the same clear message, not a 500."""
    record()
    with patch.object(certificates, "_find_duplicate", return_value=None):
        [problem] = problems()
    assert "already recorded" in problem
    assert Certificate.objects.count() == 1
    assert recorded_events().count() == 1


def test_only_the_personnel_department_records_and_refusals_are_audited():
    for username in ("soanthao.tttt", "botruong", "thanhtra", "vanthu.vp", "quantri"):
        with pytest.raises(ActionForbidden):
            record(user=h.person(username))
    assert not Certificate.objects.exists()
    denied = AuditEvent.objects.filter(action="workflows.document.access_denied")
    assert denied.count() == 5
    assert {e.data["attempted"] for e in denied} == {"certificate_record"}


def test_delete_needs_a_reason_and_keeps_the_content_in_the_trail():
    certificate = record()
    with pytest.raises(InvalidInput):
        certificates.certificate_delete(
            user=h.person(DRAFTER), certificate_id=certificate.pk, reason="  "
        )
    with pytest.raises(PermissionDenied):
        certificates.certificate_delete(
            user=h.person("thanhtra"), certificate_id=certificate.pk, reason="nhầm"
        )
    certificates.certificate_delete(
        user=h.person(DRAFTER), certificate_id=certificate.pk, reason="Nhập nhầm người."
    )
    assert not Certificate.objects.exists()
    event = AuditEvent.objects.get(action=certificates.DELETED)
    assert event.comment == "Nhập nhầm người."
    assert event.data["number"] == "A-000123" and event.data["modules"] == BASIC
    with pytest.raises(InvalidInput):  # a second click
        certificates.certificate_delete(
            user=h.person(DRAFTER), certificate_id=certificate.pk, reason="lại"
        )


# --- Through the form -------------------------------------------------------------------


def form_data(**overrides):
    data = {
        "person": str(h.person("vanthu.vp").pk),
        "modules": BASIC,
        "issued_on": "15/03/2024",
        "issuing_body": BODY,
        "number": "A-000123",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def post(data, query=""):
    return client_for(DRAFTER).post(URL + query, data)


def test_the_form_records_a_certificate():
    response = post(form_data(unit="VP"))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response.url == URL + "?unit=VP"
    certificate = Certificate.objects.get()
    assert certificate.person.username == "vanthu.vp"
    assert certificate.issued_on == dt.date(2024, 3, 15)
    assert recorded_events().count() == 1


def test_the_form_shows_the_people_of_the_chosen_unit_only():
    page = client_for(DRAFTER).get(URL, {"unit": "LD"}).content.decode()
    assert "Đỗ Văn Hải" in page and "Hoàng Thị Lan" in page
    assert "Phạm Thị Dung" not in page
    page = client_for(DRAFTER).get(URL).content.decode()
    assert "Phạm Thị Dung" in page  # no unit chosen: everyone


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"modules": ["IU01", "IU99"]}, "Unknown module codes: IU99."),
        ({"modules": None}, "Tick at least one module the certificate covers."),
        ({"issued_on": "tomorrow"}, "Give the date as dd/mm/yyyy, for example 15/03/2025."),
        ({"issued_on": "31/02/2024"}, "Give the date as dd/mm/yyyy, for example 15/03/2025."),
        ({"issued_on": None}, "Give the date the certificate was issued."),
        ({"issued_on": "15/03/0024"}, "is too long ago: check the year."),
        ({"issuing_body": "   "}, "Give the body that issued the certificate."),
        ({"number": None}, "Give the certificate number."),
        ({"person": None}, "Choose the person who holds the certificate."),
        ({"person": "abc"}, "Choose the person in the list (people of the chosen unit)."),
        ({"person": "99999999999999999999"}, "Choose the person in the list"),
        ({"person": "-1"}, "Choose the person in the list"),
        ({"number": "A\x00B"}, "Null characters are not allowed: remove the NUL character"),
        ({"number": "9" * 101}, "Shorten this to at most 100 characters (it has 101)."),
        ({"unit": "NOWHERE"}, "Unknown unit: choose one in the list."),
        # A person outside the unit chosen
        ({"unit": "TTTT"}, "Choose the person in the list (people of the chosen unit)."),
    ],
)
def test_bad_input_through_the_form_is_400_with_a_clear_message(overrides, message):
    response = post(form_data(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Certificate.objects.exists()
    assert not recorded_events().exists()


def test_date_in_the_future_through_the_form():
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).strftime("%d/%m/%Y")
    response = post(form_data(issued_on=tomorrow))
    assert response.status_code == 400
    assert f"The date issued ({tomorrow}) is in the future:" in response.content.decode()
    assert not Certificate.objects.exists()


def test_empty_form_is_400_listing_every_field():
    response = post({})
    assert response.status_code == 400
    page = response.content.decode()
    for message in (
        "Choose the person who holds the certificate.",
        "Tick at least one module the certificate covers.",
        "Give the date the certificate was issued.",
        "Give the body that issued the certificate.",
        "Give the certificate number.",
    ):
        assert message in page
    assert not Certificate.objects.exists()


def test_duplicate_through_the_form():
    assert post(form_data()).status_code == 302
    response = post(form_data(person=str(h.person("botruong").pk)))
    assert response.status_code == 400
    page = response.content.decode()
    assert "A certificate numbered “A-000123” from “" in page
    assert "is already recorded (for Phạm Thị Dung, issued 15/03/2024)" in page
    assert Certificate.objects.count() == 1


def test_the_form_is_for_the_personnel_department_only():
    for username in ("soanthao.tttt", "botruong", "thanhtra", "vanthu.vp", "hoidong.tdkt"):
        client = client_for(username)
        assert client.get(URL).status_code == 403
        assert client.post(URL, form_data()).status_code == 403
    assert not Certificate.objects.exists()


def test_removing_through_the_form():
    certificate = record()
    url = reverse("standards:certificate_delete", args=[certificate.pk])
    assert client_for("thanhtra").post(url, {"reason": "x"}).status_code == 403
    client = client_for(DRAFTER)
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert "Say why the certificate is removed." in response.content.decode()
    response = client.post(url, {"reason": "Nhập nhầm."})
    assert response.status_code == 302
    assert response.url == reverse("standards:person_skills", args=[certificate.person_id])
    assert not Certificate.objects.exists()
    assert client.post(url, {"reason": "Nhập nhầm."}).status_code == 404


def test_a_future_date_is_reported_together_with_the_other_fields():
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).strftime("%d/%m/%Y")
    response = post({"issued_on": tomorrow})
    assert response.status_code == 400
    page = response.content.decode()
    assert f"The date issued ({tomorrow}) is in the future:" in page
    assert "Give the certificate number." in page
