"""The admin's document lookup finds titles whatever the case, diacritics or form."""

import pytest
from django.urls import reverse

from tests.factories import PersonFactory
from tests.workflows import helpers as h

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("q", ["ke hoach", "KẾ HOẠCH", "dak nong"])
def test_document_search_is_folded(client, demo_org, q):
    document = h.make_plan("draft", title="Kế hoạch tỉnh Đắk Nông")
    h.make_plan("draft", title="Đề án khác")
    client.force_login(PersonFactory(username="root", is_staff=True, is_superuser=True))
    response = client.get(reverse("admin:workflows_document_changelist"), {"q": q})
    assert response.status_code == 200
    assert [d.pk for d in response.context["cl"].result_list] == [document.pk]
