"""The pages: who sees what (role × action: 404 out of scope, 403 missing permission),
what they show, the import page's reports, and bad input never a 500."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from individual import selectors, services
from individual.models import MailImport
from organisation.models import Person, Unit
from reporting import scoring
from tests.individual.conftest import CENTRE, COUNCIL, YEAR, client_for
from tests.individual.test_mail_csv import HEADER, upload
from tests.individual.test_queries import add_people
from workflows.models import AuditEvent

pytestmark = pytest.mark.django_db

STAFF, HEAD = "an.dpt", "truong.dpt"
USERS = [STAFF, HEAD, COUNCIL, CENTRE]


def urls(world) -> dict[str, str]:
    other = Person.objects.get(username=CENTRE)
    return {
        "mine": reverse("individual:mine"),
        "own_person": reverse("individual:person", args=[world["an"].pk]),
        "unit_person": reverse("individual:person", args=[world["binh"].pk]),
        "other_person": reverse("individual:person", args=[other.pk]),
        "missing_person": reverse("individual:person", args=[999999]),
        "unit": reverse("individual:unit", args=[world["unit"].pk]),
        "other_unit": reverse("individual:unit", args=[Unit.objects.get(code="TTTT").pk]),
        "everyone": reverse("individual:everyone"),
        "mail_import": reverse("individual:mail_import"),
        "mail_template": reverse("individual:mail_template"),
    }


# What each user gets: STAFF (no right beyond their own), HEAD (head of DPT, where An and
# Bình work), COUNCIL (view_it_reports), CENTRE (run_it_evaluation, heads no unit).
MATRIX = {
    "mine": (200, 200, 200, 200),
    "own_person": (200, 200, 200, 403),
    "unit_person": (403, 200, 200, 403),
    "other_person": (403, 404, 200, 200),
    "missing_person": (404, 404, 404, 404),
    "unit": (403, 200, 200, 403),
    "other_unit": (403, 404, 200, 403),
    "everyone": (403, 403, 200, 403),
    "mail_import": (403, 403, 403, 200),
    "mail_template": (403, 403, 403, 200),
}


@pytest.mark.parametrize("page", list(MATRIX))
def test_role_by_action_matrix(world, page):
    url = urls(world)[page]
    got = tuple(client_for(user).get(url).status_code for user in USERS)
    assert got == MATRIX[page], f"{page}: {dict(zip(USERS, got, strict=True))}"


def test_anonymous_people_are_sent_to_sign_in(world, client):
    for url in urls(world).values():
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_a_person_sees_their_score_and_how_it_is_made_up(world):
    page = client_for("binh.dpt").get(reverse("individual:mine")).content.decode()
    assert "My IT score" in page and 'data-testid="breakdown"' in page
    row = page.split('data-indicator="3.1"')[1].split("</tr>")[0]
    assert "77,78%" in row and "6,22" in row and "Certificates against" in row
    assert "no data" in page.split('data-indicator="3.5"')[1].split("</tr>")[0]
    assert 'data-testid="no-mail"' in page and 'data-testid="no-training"' in page


def test_a_head_sees_the_units_people_with_committee_ranks(world):
    client = client_for(HEAD)
    mine = client.get(reverse("individual:mine")).content.decode()
    assert reverse("individual:unit", args=[world["unit"].pk]) in mine  # a link to the unit
    page = client.get(reverse("individual:unit", args=[world["unit"].pk])).content.decode()
    assert 'data-person="an.dpt"' in page and 'data-person="binh.dpt"' in page
    assert 'data-person="soanthao.tttt"' not in page


def test_the_council_sees_everyone_grouped_by_unit(world):
    page = client_for(COUNCIL).get(reverse("individual:everyone")).content.decode()
    units = [chunk.split('"')[0] for chunk in page.split('class="group-row" data-unit="')[1:]]
    assert "DPT" in units and "TTTT" in units and len(units) == len(set(units))
    dpt = page.split('data-unit="DPT"')[1].split('class="group-row"')[0]
    assert 'data-person="an.dpt"' in dpt and 'data-person="soanthao.tttt"' not in dpt


@pytest.mark.parametrize("year", ["", "abc", "0", "99999", "2026.5", "-1", "٢٠٢٦"])
def test_a_bad_year_shows_the_current_year_never_an_error(world, year):
    response = client_for(COUNCIL).get(reverse("individual:everyone"), {"year": year, "page": "x"})
    assert response.status_code == 200


def test_a_year_without_an_issued_criteria_set_says_so(world):
    page = client_for(STAFF).get(reverse("individual:mine"), {"year": YEAR + 1}).content.decode()
    assert 'data-testid="no-criteria"' in page


def post_import(client, text, *, name="thong-ke.csv", start="01/01/2026", end="31/12/2026"):
    return client.post(
        reverse("individual:mail_import"),
        {"period_start": start, "period_end": end, "file": upload(text, name)},
    )


def test_the_centre_imports_a_file_and_the_scores_use_it(world):
    client = client_for(CENTRE)
    response = post_import(client, HEADER + "an.dpt@example.gov.vn,20/12/2026,520\n")
    assert response.status_code == 302
    assert MailImport.objects.get().accounts == 1
    page = client_for(STAFF).get(reverse("individual:mine")).content.decode()
    assert "Mail statistics of 01/01/2026–31/12/2026" in page
    assert "yes" in page.split('data-indicator="1.1"')[1].split("</tr>")[0]


def test_a_file_with_problems_lists_each_with_row_and_column_and_saves_nothing(world):
    text = HEADER + "an.dpt,20/12/2026,1\nan.dpt,20/12/2026,1\nkhongco,xx,=1\n"
    response = post_import(client_for(CENTRE), text)
    page = response.content.decode()
    assert response.status_code == 400 and not MailImport.objects.exists()
    assert "The file has 4 problems. Nothing was saved" in page
    assert "Row 3, A (Tài khoản)" in page and "Row 4, B (Đăng nhập lần cuối)" in page
    assert "Row 4, C (Số thư đã gửi)" in page


@pytest.mark.parametrize(
    ("data", "name", "fields"),
    [
        (b"\x00\x01binary", "x.csv", {}),
        (HEADER.encode(), "x.xlsx", {}),
        (HEADER.encode() + b"an.dpt,1/1/2026,1\n", "x.csv", {"end": "01/01/2025"}),
        (HEADER.encode() + b"an.dpt,1/1/2026,1\n", "x.csv", {"start": "31/02/2026"}),
    ],
)
def test_bad_files_and_fields_are_refused_never_an_error(world, data, name, fields):
    response = post_import(client_for(CENTRE), data, name=name, **fields)
    assert response.status_code == 400
    assert not MailImport.objects.exists()


def test_a_refused_file_is_audited(world):
    post_import(client_for(CENTRE), b"\x00binary")
    event = AuditEvent.objects.get(action=services.MAIL_REFUSED)
    assert event.data["file"] == "thong-ke.csv" and "not a CSV" in event.comment


def test_the_template_is_a_csv_with_the_header(world):
    response = client_for(CENTRE).get(reverse("individual:mail_template"))
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode("utf-8-sig").startswith("Tài khoản,")


def mail_import() -> MailImport:
    return MailImport.objects.create(
        period_start=dt.date(YEAR, 1, 1),
        period_end=dt.date(YEAR, 12, 31),
        imported_by=Person.objects.get(username=CENTRE),
    )


def listed(html: str) -> list[str]:
    return [chunk.split('"')[0] for chunk in html.split('<tr data-person="')[1:]]


def test_everyone_is_listed_100_a_page_unit_by_unit_and_best_first(world):
    units = [Unit.objects.create(code=f"V{i}", name_vi=f"Vụ {i}", name_en=f"D{i}") for i in (1, 2)]
    add_people(units, 230, 0, mail_import())
    scores = selectors.with_people(selectors.person_scores(YEAR))
    order = {u.pk: n for n, u in enumerate(Unit.objects.all())}
    expected = [s.person.username for s in sorted(scores, key=lambda s: (order[s.unit_id], s.rank))]
    assert len(expected) > 230
    client = client_for(COUNCIL)
    url = reverse("individual:everyone")
    pages = [client.get(url, {"page": n}).content.decode() for n in (1, 2, 3)]
    assert [len(listed(p)) for p in pages[:2]] == [100, 100]
    assert [name for p in pages for name in listed(p)] == expected  # each once, in order
    assert f"Page 3 of {(len(expected) + 99) // 100}" in pages[2]
    last = (len(expected) + 99) // 100
    # Out of range: the last page; unreadable: the first (Paginator.get_page, as every
    # list of the product).
    for beyond in ("999", "0", "-1"):
        shown = listed(client.get(url, {"page": beyond}).content.decode())
        assert shown == expected[(last - 1) * 100 :], beyond
    for bad in ("abc", "", "2.5"):
        assert listed(client.get(url, {"page": bad}).content.decode()) == expected[:100], bad


def summary_rows(html: str) -> dict[str, list[str]]:
    """{unit code ("" for the Committee): the cells' texts} of the per-unit table."""
    table = html.split('data-testid="unit-summary"')[1].split("</table>")[0]
    rows = {}
    for chunk in table.split('<tr data-summary="')[1:]:
        code, row = chunk.split('"', 1)
        cells = [c.split("</td>")[0] for c in row.split('<td class="num"')[1:]]
        rows[code] = [re.sub(r"<[^>]+>", "", c.split(">", 1)[1]).strip() for c in cells]
    return rows


def number(text: str) -> Decimal:
    return Decimal(text.replace(".", "").replace(",", "."))


def test_the_units_table_adds_up_the_peoples_scores(world):
    units = [
        Unit.objects.create(code=f"V{i}", name_vi=f"Vụ {i}", name_en=f"D{i}") for i in (1, 2, 3)
    ]
    add_people(units, 9, 0, mail_import())  # 3 people each, of three different profiles
    client = client_for(COUNCIL)
    rows = summary_rows(client.get(reverse("individual:everyone")).content.decode())
    scores = selectors.person_scores(YEAR)
    grades = list(scoring.GRADES)
    assert set(rows) == {u.code for u in Unit.objects.all()} | {""}
    for unit in Unit.objects.all():
        people = [s for s in scores if s.unit_id == unit.pk]
        cells = rows[unit.code]
        assert number(cells[0]) == len(people), unit.code
        if people:
            total = sum(s.score for s in people)
            assert number(cells[1]) == (total / len(people)).quantize(Decimal("0.01"))
        else:
            assert cells[1] == "—"
        assert [number(c) for c in cells[2:]] == [
            sum(1 for s in people if s.grade == g) for g in grades
        ], unit.code
    # The Committee's row is the sum of the units' (everybody ranked belongs to one).
    overall = [number(c) for c in rows[""]]
    assert overall[0] == len(scores) == sum(number(r[0]) for c, r in rows.items() if c)
    assert overall[2:] == [sum(number(r[2 + n]) for c, r in rows.items() if c) for n in range(4)]
    v1 = rows["V1"]  # what is added up differs: three people, not all of one grade
    assert number(v1[0]) == 3 and sum(1 for c in v1[2:] if number(c)) > 1


def test_the_units_table_links_each_unit_to_its_page_in_the_list(world):
    units = [Unit.objects.create(code=f"V{i}", name_vi=f"Vụ {i}", name_en=f"D{i}") for i in (1, 2)]
    add_people(units, 230, 0, mail_import())
    client = client_for(COUNCIL)
    url = reverse("individual:everyone")
    html = client.get(url).content.decode()
    table = html.split('data-testid="unit-summary"')[1].split("</table>")[0]
    for unit in (world["unit"], *units):
        row = table.split(f'data-summary="{unit.code}"')[1].split("</tr>")[0]
        page = re.search(r"page=(\d+)", row).group(1)
        listing = client.get(url, {"page": page}).content.decode()
        assert f'class="group-row" data-unit="{unit.code}"' in listing, unit.code
        assert reverse("individual:unit", args=[unit.pk]) in row
