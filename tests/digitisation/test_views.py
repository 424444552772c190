"""The digitisation pages as people use them: the menu entry for those who read the
programme, a batch registered through the form, checked, rejected, redone and accepted
through the pages, the progress page's period, and its XLSX export (formula-safe)."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from digitisation.models import Batch
from organisation import navigation, roles
from tests.digitisation import helpers as d
from tests.workflows import helpers as h

READERS = {
    roles.OFFICE_CLERK,
    roles.CENTRE_DRAFTER,
    roles.MINISTER,
    roles.VICE_MINISTER,
    roles.COUNCIL_MEMBER,
}


@pytest.mark.parametrize("role", list(h.USER_FOR_ROLE))
def test_the_menu_shows_digitisation_to_its_readers_between_standards_and_my_skills(demo_org, role):
    keys = [i["key"] for i in navigation.items_for(h.person(h.USER_FOR_ROLE[role]))]
    assert ("digitisation" in keys) == (role in READERS)
    if "digitisation" in keys and "my_skills" in keys:
        assert keys.index("digitisation") < keys.index("my_skills")


def test_a_batch_through_the_pages(client, task):
    office, centre = h.person(d.OFFICE), h.person(d.CENTRE)
    client.force_login(office)
    page = client.get(reverse("digitisation:batch_new"))
    assert page.status_code == 200 and d.TASK_NAME in page.content.decode()
    response = client.post(
        reverse("digitisation:batch_new"),
        {
            "fonds": "Phông Văn phòng 2015",
            "unit": d.unit().pk,
            "period_from": "01/01/2015",
            "period_to": "31/12/2015",
            "documents": "120",
            "pages": "860",
            "performed_by": "Tổ số hóa",
            "plan_task": task.pk,
        },
    )
    batch = Batch.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "digitisation:batch", args=[batch.pk]
    )
    assert 'data-testid="check-form"' not in client.get(response.url).content.decode()

    client.force_login(centre)
    html = client.get(response.url).content.decode()
    assert 'data-testid="check-form"' in html and 'data-testid="rework-form"' not in html
    url = reverse("digitisation:check", args=[batch.pk])
    refused = client.post(url, {"verdict": "reject", "sample_size": "10", "reasons": ""})
    assert refused.status_code == 400
    assert (
        client.post(url, {"verdict": "reject", "sample_size": "10", "reasons": "Mờ"}).status_code
        == 302
    )

    client.force_login(office)
    html = client.get(response.url).content.decode()
    assert 'data-testid="rework-form"' in html and "Mờ" in html
    redo = reverse("digitisation:redo", args=[batch.pk])
    assert (
        client.post(redo, {"note": "Quét lại", "documents": "120", "pages": "870"}).status_code
        == 302
    )

    client.force_login(centre)
    assert client.post(url, {"verdict": "accept", "sample_size": "12"}).status_code == 302
    batch.refresh_from_db()
    assert (batch.state, batch.pages) == ("accepted", 870)
    progress = client.get(reverse("digitisation:progress")).content.decode()
    assert 'data-figure="pages">870<' in progress


def test_the_progress_export_has_both_tables_and_is_formula_safe(as_user, task):
    d.make_batch(task, "accepted", fonds='=HYPERLINK("http://x")')
    response = as_user("botruong").get(reverse("digitisation:progress_export"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["TheoDonVi", "TheoNhiemVu"]
    units = list(wb["TheoDonVi"].iter_rows(values_only=True))
    assert units[1][0] == "Đơn vị" and units[2][0] == "Văn phòng Ủy ban" and units[2][1] == 120
    tasks = list(wb["TheoNhiemVu"].iter_rows(values_only=True))
    assert tasks[2][0].startswith(d.TASK_NAME) and tasks[2][1] == 120
    for sheet in wb:
        for row in sheet.iter_rows():
            assert all(c.data_type != "f" for c in row)


@pytest.mark.parametrize(
    "query", ["start=31/02/2026", "start=01/01/2027&end=01/01/2026", "end=abc", "page=x"]
)
def test_a_bad_period_is_never_a_500(as_user, task, query):
    client = as_user(d.CENTRE)
    assert client.get(reverse("digitisation:progress") + "?" + query).status_code == 200
    assert client.get(reverse("digitisation:progress_export") + "?" + query).status_code == 200
    assert client.get(reverse("digitisation:batches") + "?state=zzz&" + query).status_code == 200


def test_the_batch_list_says_why_a_batch_was_rejected(as_user, task):
    d.make_batch(task, "rejected")
    d.make_batch(task, "accepted", fonds="Phông khác")
    html = as_user("hoidong.tdkt").get(reverse("digitisation:batches") + "?state=rejected")
    page = html.content.decode()
    assert "Ảnh mờ, thiếu trang." in page and "Phông khác" not in page
