"""The compliance pages: who sees which (403 for the others), what they show, the
"no standard in force" case, filters and the CSV and XLSX exports (audited)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from organisation import navigation
from organisation.models import Person, Unit
from standards import certificates, compliance_views
from tests.factories import PersonFactory
from tests.standards.conftest import BASIC, DRAFTER, client_for
from tests.workflows import helpers as h
from workflows.models import AuditEvent

pytestmark = pytest.mark.django_db

MY = reverse("standards:my_skills")
SUMMARY = reverse("standards:compliance")
UNIT = reverse("standards:compliance_unit", args=["TCCB"])
UNIT_CSV = reverse("standards:compliance_unit_csv", args=["TCCB"])
UNIT_XLSX = reverse("standards:compliance_unit_xlsx", args=["TCCB"])
SUMMARY_CSV = reverse("standards:compliance_export_csv")
SUMMARY_XLSX = reverse("standards:compliance_export_xlsx")

VIEWERS = {"soanthao.tccb", "botruong", "thutruong", "thanhtra"}
OTHERS = {"soanthao.tttt", "thamdinh.kh", "vanthu.vp", "hoidong.tdkt", "quantri"}


def certify(username, codes, number):
    return certificates.certificate_record(
        user=h.person(DRAFTER),
        person_id=h.person(username).pk,
        module_codes=codes,
        issued_on=dt.date(2023, 6, 1),
        issuing_body="Trung tâm Tin học",
        number=number,
    )


@pytest.mark.usefixtures("standard")
@pytest.mark.parametrize("username", sorted(VIEWERS | OTHERS))
def test_who_sees_which_page(username):
    client = client_for(username)
    person_page = reverse("standards:person_skills", args=[h.person("vanthu.vp").pk])
    expected = 200 if username in VIEWERS else 403
    assert client.get(MY).status_code == 200
    for url in (SUMMARY, UNIT, UNIT_CSV, UNIT_XLSX, SUMMARY_CSV, SUMMARY_XLSX, person_page):
        assert client.get(url).status_code == expected, url
    recorder = 200 if username == DRAFTER else 403
    assert client.get(reverse("standards:certificate_new")).status_code == recorder


@pytest.mark.usefixtures("org")
def test_signed_out_people_are_sent_to_sign_in(client):
    for url in (MY, SUMMARY, UNIT):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.usefixtures("org")
def test_refused_non_document_pages_are_not_recorded_as_document_denials():
    assert client_for("vanthu.vp").get(UNIT).status_code == 403
    assert not AuditEvent.objects.filter(action="workflows.document.access_denied").exists()


@pytest.mark.usefixtures("org")
def test_every_signed_in_person_has_my_it_skills_in_the_menu():
    for person in Person.objects.all():
        keys = [i["key"] for i in navigation.items_for(person)]
        assert "my_skills" in keys, person.username
        labels = {i["key"]: str(i["label"]) for i in navigation.items_for(person)}
        assert labels["my_skills"] == "My IT skills"


@pytest.mark.usefixtures("org")
def test_my_skills_without_a_standard_in_force():
    certify("soanthao.tttt", ["IU01", "IU02"], "X-1")
    page = client_for("soanthao.tttt").get(MY).content.decode()
    assert 'data-testid="no-standard"' in page
    assert "No IT competency standard is in force at present" in page
    assert "IT staff of the Centre" in page  # their group
    assert "X-1" in page  # their certificate
    for url in (SUMMARY, UNIT):
        page = client_for("botruong").get(url).content.decode()
        assert "No IT competency standard is in force at present" in page


def test_my_skills_shows_group_required_held_and_gap(standard):
    certify("soanthao.tttt", [*BASIC, "IU07"], "X-2")
    response = client_for("soanthao.tttt").get(MY)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="standard-in-force"' in page
    assert standard.document.number_text in page
    assert "IT staff of the Centre" in page
    assert "Advanced certificate" in page
    assert 'data-status="gap"' in page
    gap = page.split('data-testid="gap-list"')[1].split("</ul>")[0]
    assert "IU09" in gap and "IU14" in gap and "IU07" not in gap
    assert "X-2" in page
    # Nothing of anyone else, and no staff links.
    assert 'data-testid="compliance-link"' not in page
    assert 'data-testid="record-certificate"' not in page


def test_my_skills_for_someone_without_a_group(standard):
    tccb = Unit.objects.get(code="TCCB")
    PersonFactory(username="moi", unit=tccb)
    page = client_for("moi").get(MY).content.decode()
    assert 'data-status="no_group"' in page
    assert "No position group" in page


def test_summary_and_unit_pages(standard):
    certify("soanthao.tccb", BASIC, "X-3")
    page = client_for("botruong").get(SUMMARY).content.decode()
    row = page.split('data-unit="TCCB"')[1].split("</tr>")[0]
    assert "100,0%" in row  # the one person required to comply does
    ld = page.split('data-unit="LD"')[1].split("</tr>")[0]
    assert "—" in ld  # leaders: nothing required, no share

    response = client_for("thanhtra").get(UNIT)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-person="soanthao.tccb"' in page
    assert 'data-status="compliant"' in page


def test_unit_filters_and_bad_filters(standard):
    tccb = Unit.objects.get(code="TCCB")
    PersonFactory(username="moi", full_name="Ngô Thị Mới", unit=tccb)
    client = client_for(DRAFTER)
    page = client.get(UNIT, {"group": "-"}).content.decode()
    assert 'data-person="moi"' in page and 'data-person="soanthao.tccb"' not in page
    page = client.get(UNIT, {"compliant": "no"}).content.decode()
    assert 'data-person="soanthao.tccb"' in page and 'data-person="moi"' not in page
    page = client.get(UNIT, {"q": "ngo thi"}).content.decode()
    assert 'data-person="moi"' in page and 'data-person="soanthao.tccb"' not in page
    for bad in ({"compliant": "maybe"}, {"group": "NOPE"}, {"q": "x" * 101}):
        response = client.get(UNIT, bad)
        assert response.status_code == 400
        assert "The filters are not valid" in response.content.decode()
        assert client.get(UNIT_CSV, bad).status_code == 400
    assert client.get(reverse("standards:compliance_unit", args=["NOPE"])).status_code == 404
    assert client.get(UNIT, {"page": "abc"}).status_code == 200


def _exports():
    return AuditEvent.objects.filter(action=compliance_views.EXPORTED).order_by("seq")


def test_unit_csv_export_has_a_bom_and_a_row_per_person(standard):
    certify("soanthao.tccb", ["IU01", "IU02"], "X-4")
    response = client_for("thanhtra").get(UNIT_CSV, {"compliant": "no"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Full name", "User name", "Unit"]
    assert rows[1] == [
        "Lê Văn Cường",
        "soanthao.tccb",
        "TCCB",
        "Specialists",
        "Basic certificate (IU01–IU06)",
        "IU01, IU02, IU03, IU04, IU05, IU06",
        "IU01, IU02",
        "IU03, IU04, IU05, IU06",
        "Not compliant",
    ]
    assert len(rows) == 2
    event = _exports().get()
    assert event.actor.username == "thanhtra"
    assert event.data["format"] == "csv" and event.data["rows"] == 1
    assert event.data["unit"] == "TCCB" and event.data["filters"] == {"compliant": "no"}
    assert event.data["standard"] == standard.pk


def test_unit_exports_list_people_in_vietnamese_order(standard):
    tccb = Unit.objects.get(code="TCCB")
    for username, full_name in [("dang", "Đặng Văn An"), ("dao", "Đào Thị An"), ("e", "Hồ Em")]:
        PersonFactory(username=username, full_name=full_name, unit=tccb)
    response = client_for("thanhtra").get(UNIT_CSV)
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    # By given name (An, An, Cường, Em), the Ans by the rest: Đào before Đặng.
    assert [r[1] for r in rows[1:]] == ["dao", "dang", "soanthao.tccb", "e"]
    response = client_for("thanhtra").get(UNIT_XLSX)
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    ours = {"dao", "dang", "soanthao.tccb", "e"}
    listed = [row[1] for row in sheet.iter_rows(values_only=True) if row[1] in ours]
    assert listed == ["dao", "dang", "soanthao.tccb", "e"]


def test_unit_xlsx_export_opens_with_openpyxl(standard):
    PersonFactory(username="formula", full_name="=HYPERLINK(1)", unit=Unit.objects.get(code="TCCB"))
    response = client_for("botruong").get(UNIT_XLSX)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "Full name"
    by_user = {r[1]: r for r in rows[1:]}
    assert set(by_user) == {"soanthao.tccb", "formula"}
    assert by_user["formula"][0] == "=HYPERLINK(1)"  # a string cell, not a formula
    assert by_user["formula"][8] == "No position group"
    assert by_user["soanthao.tccb"][8] == "Not compliant"
    assert _exports().get().data["format"] == "xlsx"


def test_summary_exports(standard):
    certify("soanthao.tccb", BASIC, "X-5")
    client = client_for(DRAFTER)
    raw = b"".join(client.get(SUMMARY_CSV).streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    tccb = next(r for r in rows if r[0] == "TCCB")
    assert tccb[2:] == ["1", "0", "0", "1", "1", "0", "100,0"]
    assert rows[-1][1] == "Whole Committee"
    sheet = load_workbook(io.BytesIO(client.get(SUMMARY_XLSX).content)).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    tccb = next(r for r in values if r[0] == "TCCB")
    assert tccb[2:] == [1, 0, 0, 1, 1, 0, 100]
    assert [e.data["format"] for e in _exports()] == ["csv", "xlsx"]


def test_person_page_for_the_personnel_department(standard):
    certificate = certify("vanthu.vp", ["IU01"], "X-6")
    url = reverse("standards:person_skills", args=[certificate.person_id])
    page = client_for(DRAFTER).get(url).content.decode()
    assert "Phạm Thị Dung" in page and "X-6" in page
    assert reverse("standards:certificate_delete", args=[certificate.pk]) in page
    page = client_for("thanhtra").get(url).content.decode()
    assert "X-6" in page
    assert reverse("standards:certificate_delete", args=[certificate.pk]) not in page
    assert (
        client_for(DRAFTER).get(reverse("standards:person_skills", args=[99999])).status_code == 404
    )


# --- Typed text never becomes a formula; numbers and blanks keep their kind -------------

GROUP, HELD = 3, 6  # columns of the unit export, empty for someone without a group


def _typed_person(typed):
    PersonFactory(username="typed", full_name=typed, unit=Unit.objects.get(code="TCCB"))


@pytest.mark.parametrize("typed", h.FORMULA_LIKE)
def test_compliance_csv_exports_quote_typed_formulas_and_leave_blanks_empty(standard, typed):
    _typed_person(typed)
    Unit.objects.filter(code="TCCB").update(name_vi=typed, name_en=typed)
    client = client_for("thanhtra")
    raw = b"".join(client.get(UNIT_CSV).streaming_content).decode("utf-8-sig")
    row = next(r for r in csv.reader(io.StringIO(raw, newline="")) if r[1] == "typed")
    assert row[0] == "'" + typed
    assert row[GROUP] == "" and row[HELD] == ""  # not "'"
    raw = b"".join(client.get(SUMMARY_CSV).streaming_content).decode("utf-8-sig")
    tccb = next(r for r in csv.reader(io.StringIO(raw, newline="")) if r[0] == "TCCB")
    assert tccb[1] == "'" + typed
    assert tccb[2] == "2"  # a number, unquoted


@pytest.mark.parametrize("typed", h.FORMULA_LIKE)
def test_compliance_xlsx_exports_keep_typed_text_numbers_and_blanks(standard, typed):
    _typed_person(typed)
    Unit.objects.filter(code="TCCB").update(name_vi=typed, name_en=typed)
    client = client_for("thanhtra")
    sheet = load_workbook(io.BytesIO(client.get(UNIT_XLSX).content)).active
    row = next(r for r in sheet.iter_rows(min_row=2) if r[1].value == "typed")
    assert row[0].value == h.read_from_xlsx(typed) and row[0].data_type == "s"  # not "f"
    assert row[GROUP].value is None and row[HELD].value is None  # not "'"
    sheet = load_workbook(io.BytesIO(client.get(SUMMARY_XLSX).content)).active
    tccb = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "TCCB")
    assert tccb[1].value == h.read_from_xlsx(typed) and tccb[1].data_type == "s"
    assert tccb[2].value == 2 and tccb[2].data_type == "n"
    assert tccb[8].value == 0 and tccb[8].data_type == "n"  # the share, a number
