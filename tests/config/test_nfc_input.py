"""What people type is stored in NFC whatever their keyboard sent
(config.middleware.NfcInputMiddleware): forms, the admin and searches alike."""

import unicodedata

import pytest
from django.urls import reverse

from organisation.models import Person, Unit
from tests.workflows import helpers as h
from workflows.models import Comment

pytestmark = pytest.mark.django_db


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def test_a_decomposed_comment_is_stored_composed(client, demo_org):
    document = h.make_plan("submitted")
    client.force_login(h.person(h.REVIEWER))
    response = client.post(
        reverse("workflows:comment", args=[document.pk]),
        {"body": nfd("Xem lại kinh phí nhiệm vụ Đắk Nông."), "anchor": ""},
    )
    assert response.status_code == 302
    assert Comment.objects.get(document=document).body == "Xem lại kinh phí nhiệm vụ Đắk Nông."


def test_a_unit_added_in_the_admin_is_stored_composed(client, demo_org):
    client.force_login(Person.objects.get(username="quantri"))
    response = client.post(
        reverse("admin:organisation_unit_add"),
        {
            "code": "DKN",
            "name_vi": nfd("Ban Dân tộc Đắk Nông"),
            "name_en": "Board",
            "sort_order": 9,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Unit.objects.get(code="DKN").name_vi == "Ban Dân tộc Đắk Nông"


def test_a_search_typed_decomposed_is_composed(client, demo_org):
    client.force_login(h.person(h.DRAFTER))
    response = client.get(reverse("workflows:documents"), {"q": nfd("Kế hoạch")})
    assert response.status_code == 200
    assert response.wsgi_request.GET["q"] == "Kế hoạch"


def test_passwords_are_left_as_typed(client, demo_org):
    person = h.person(h.DRAFTER)
    typed = nfd("mật-khẩu-Đắk-2026")
    person.set_password(typed)
    person.save()
    response = client.post(
        reverse("login"), {"username": person.username, "password": typed}, follow=False
    )
    assert response.status_code == 302  # signed in: a refused sign-in shows the form again
