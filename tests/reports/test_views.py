"""The report pages: who sees what (role × action), the charts (scriptless SVG with its
own CSP), the exports (XLSX through openpyxl, the PDF's text through pdftotext), bad
input, and a query count that does not grow with the number of units."""

import io
import subprocess

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisation import roles
from organisation.models import Person, Unit
from outbox.models import Mail
from reports.exports import UNIT_COLUMNS
from reports.models import Report
from reports.periods import MONTH, YEAR, Period
from reports.services import report_draft, report_send
from tests.factories import PersonFactory, UnitFactory
from tests.reports.helpers import known_fixture, providers  # noqa: F401
from tests.workflows import helpers as h

pytestmark = pytest.mark.django_db

JANUARY = Period.of(MONTH, 2027, 1)


@pytest.fixture
def setup(demo_org):
    known_fixture()
    head_unit = Unit.objects.get(code="KH")
    head_unit.head = Person.objects.get(username="thamdinh.kh")
    head_unit.save()
    draft, _ = report_draft(period=JANUARY)
    sent, _ = report_draft(period=Period.of(MONTH, 2027, 2))
    report_send(report=sent, actor=Person.objects.get(username="soanthao.tttt"))
    return {"draft": draft, "sent": sent}


def _get(client, username, url, method="get", **data):
    client.force_login(Person.objects.get(username=username))
    return getattr(client, method)(url, data)


ALL = ("soanthao.tttt", "botruong", "thutruong", "hoidong.tdkt")
HEAD = "thamdinh.kh"  # heads KH; a planning reviewer, with no report permission
OTHERS = ("thanhtra", "vanthu.vp", "soanthao.tccb")


@pytest.mark.parametrize("name", ["detail", "xlsx", "pdf", "chart"])
def test_role_by_action_matrix_for_reading(client, setup, name):
    def url(report):
        args = [report.pk, "use"] if name == "chart" else [report.pk]
        return reverse(f"reports:{name}", args=args)

    for username in ALL + (HEAD,):
        assert _get(client, username, url(setup["sent"])).status_code == 200, username
    # A draft exists for the Centre only.
    assert _get(client, "soanthao.tttt", url(setup["draft"])).status_code == 200
    for username in ("botruong", "hoidong.tdkt", HEAD):
        assert _get(client, username, url(setup["draft"])).status_code == 404, username
    for username in OTHERS:
        assert _get(client, username, url(setup["sent"])).status_code == 403, username
    assert (
        _get(
            client, "soanthao.tttt", url(setup["sent"]).replace(str(setup["sent"].pk), "999999")
        ).status_code
        == 404
    )


def test_the_list_shows_drafts_to_the_centre_only(client, setup):
    url = reverse("reports:list")
    centre = _get(client, "soanthao.tttt", url).content.decode()
    minister = _get(client, "botruong", url).content.decode()
    assert setup["draft"].title in centre and setup["sent"].title in centre
    assert setup["draft"].title not in minister and setup["sent"].title in minister
    assert _get(client, HEAD, url).status_code == 200
    assert _get(client, "thanhtra", url).status_code == 403


def test_role_by_action_matrix_for_commenting_and_sending(client, setup):
    draft = setup["draft"]
    detail = reverse("reports:detail", args=[draft.pk])
    send = reverse("reports:send", args=[draft.pk])
    for username in ("botruong", "hoidong.tdkt", HEAD):
        assert _get(client, username, detail, "post", commentary="x").status_code == 404
        assert _get(client, username, send, "post").status_code == 404
    sent = setup["sent"]
    assert (
        _get(client, "botruong", reverse("reports:send", args=[sent.pk]), "post").status_code == 403
    )
    assert _get(client, "thanhtra", send, "post").status_code == 403
    response = _get(client, "soanthao.tttt", detail, "post", commentary="Nhận xét của Trung tâm")
    assert response.status_code == 302
    mails = Mail.objects.count()
    assert _get(client, "soanthao.tttt", send, "post").status_code == 302
    assert Mail.objects.count() > mails
    draft.refresh_from_db()
    assert draft.is_sent and draft.commentary == "Nhận xét của Trung tâm"
    # Read-only now: a second commentary is refused, not saved.
    response = _get(client, "soanthao.tttt", detail, "post", commentary="Sửa")
    assert response.status_code == 409
    draft.refresh_from_db()
    assert draft.commentary == "Nhận xét của Trung tâm"


def test_bad_input_is_never_a_500(client, setup):
    detail = reverse("reports:detail", args=[setup["draft"].pk])
    assert _get(client, "soanthao.tttt", detail, "post", commentary="x" * 30_000).status_code == 400
    chart = reverse("reports:chart", args=[setup["sent"].pk, "nope"])
    assert _get(client, "soanthao.tttt", chart).status_code == 404


def test_a_unit_head_sees_only_the_units_part(client, setup):
    page = _get(client, HEAD, reverse("reports:detail", args=[setup["sent"].pk])).content.decode()
    assert 'data-unit="KH"' in page and 'data-unit="TTTT"' not in page
    full = _get(client, "hoidong.tdkt", reverse("reports:detail", args=[setup["sent"].pk]))
    assert 'data-unit="TTTT"' in full.content.decode()


def test_the_chart_is_scriptless_with_its_own_csp(client, setup):
    response = _get(
        client, "botruong", reverse("reports:chart", args=[setup["sent"].pk, "documents"])
    )
    assert response["Content-Type"].startswith("image/svg+xml")
    assert "style-src 'sha256-" in response["Content-Security-Policy"]
    assert b"<script" not in response.content


def test_the_xlsx_carries_the_figures(client, setup):
    report = setup["draft"]
    response = _get(client, "soanthao.tttt", reverse("reports:xlsx", args=[report.pk]))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    units = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert units[0][0] == report.title
    centre = next(r for r in units[4:] if r[0] == "Trung tâm Thông tin")
    expected = next(u for u in report.figures["units"] if u["code"] == "TTTT")
    assert expected["sign_ins"] == 3  # the fixture's, so the row below is not all zeros
    assert centre[1:] == tuple(expected[k] for k in UNIT_COLUMNS)
    compared = list(workbook.worksheets[2].iter_rows(values_only=True))
    assert compared[0][1:] == ("01/2027", "12/2026", "01/2026")


def test_the_pdf_has_the_title_and_a_figure(client, setup, tmp_path):
    unit = Unit.objects.get(code="TTTT")
    report = Report.objects.get(pk=setup["sent"].pk)
    figures = report.figures
    row = next(u for u in figures["units"] if u["id"] == unit.pk)
    row["sign_ins"] = 12345  # a figure that shows the thousands separator
    Report.objects.filter(pk=report.pk).update(figures=figures)
    response = _get(client, "botruong", reverse("reports:pdf", args=[report.pk]))
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "report.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Báo cáo tháng 02/2027" in text or "Monthly report 02/2027" in text
    assert "15/01/2027" in text and "14/02/2027" in text
    assert "12.345" in text
    assert "Nguyễn Văn An" in text  # the people, under their unit
    fonts = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert "Liberation-Serif" in fonts


def _units(first: int, count: int) -> None:
    for i in range(first, first + count):
        unit = UnitFactory(code=f"N{i}")
        PersonFactory(username=f"staff.n{i}", unit=unit)


@pytest.mark.parametrize("username", ["hoidong.tdkt", "thamdinh.kh"])
def test_query_count_is_the_same_at_10_and_60_units(client, demo_org, username):
    Unit.objects.filter(code="KH").update(head=Person.objects.get(username="thamdinh.kh"))
    client.force_login(Person.objects.get(username=username))
    counts = []
    for year, first, extra in ((2027, 0, 3), (2028, 3, 50)):  # 7 demo + 3 = 10; + 50 = 60
        _units(first, extra)
        report, _ = report_draft(period=Period.of(YEAR, year, 1))
        Report.objects.filter(pk=report.pk).update(state=Report.State.SENT)
        assert len(report.figures["units"]) == (10 if year == 2027 else 60)
        urls = [reverse(f"reports:{n}", args=[report.pk]) for n in ("detail", "xlsx", "pdf")]
        urls += [reverse("reports:chart", args=[report.pk, "use"]), reverse("reports:list")]
        measured = []
        for url in urls:
            assert client.get(url).status_code == 200
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            measured.append(len(queries.captured_queries))
        counts.append(measured)
    assert counts[0] == counts[1]


# Role × (sees the menu entry, GET /reports/): everyone who may open the list has the
# entry, and nobody else. A unit's members are not given the reports (a head is).
MENU_MATRIX = [
    *((h.USER_FOR_ROLE[role], True, 200) for role in (
        roles.CENTRE_DRAFTER, roles.MINISTER, roles.VICE_MINISTER, roles.COUNCIL_MEMBER)),
    (HEAD, True, 200),  # heads KH
    ("member.kh", False, 403),  # a member of KH, which has a head
    *((h.USER_FOR_ROLE[role], False, 403) for role in (
        roles.PERSONNEL_DRAFTER, roles.OFFICE_CLERK, roles.AUDITOR, roles.ADMINISTRATOR)),
]  # fmt: skip


@pytest.mark.parametrize(("username", "sees_entry", "status"), MENU_MATRIX)
def test_the_menu_entry_is_shown_to_exactly_who_may_open_the_reports(
    client, setup, username, sees_entry, status
):
    PersonFactory(username="member.kh", unit=Unit.objects.get(code="KH"))
    client.force_login(Person.objects.get(username=username))
    home = client.get(reverse("home")).content.decode()

    assert ('data-nav="reports"' in home) is sees_entry
    assert client.get(reverse("reports:list")).status_code == status


def test_the_matrix_covers_every_role():
    users = {username for username, *_ in MENU_MATRIX}
    assert {role for role, username in h.USER_FOR_ROLE.items() if username in users} == set(
        roles.ROLES
    )


def test_a_head_who_is_no_longer_head_loses_the_entry(client, setup):
    Unit.objects.filter(code="KH").update(head=None)
    client.force_login(Person.objects.get(username=HEAD))
    assert 'data-nav="reports"' not in client.get(reverse("home")).content.decode()
    assert client.get(reverse("reports:list")).status_code == 403


def test_the_page_shows_providers_figures_or_no_data(client, demo_org, providers):  # noqa: F811
    client.force_login(Person.objects.get(username="botruong"))
    with_data, _ = report_draft(period=JANUARY)
    Report.objects.filter(pk=with_data.pk).update(state=Report.State.SENT)
    page = client.get(reverse("reports:detail", args=[with_data.pk])).content.decode()
    assert "34.567" in page  # the fake digitisation figure, with '.' separators
    from reporting import sources

    del sources._PROVIDERS[sources.TRAINING_BY_UNIT]
    without, _ = report_draft(period=Period.of(MONTH, 2027, 2))
    Report.objects.filter(pk=without.pk).update(state=Report.State.SENT)
    page = client.get(reverse("reports:detail", args=[without.pk])).content.decode()
    assert without.figures["sources"]["training"] is False
    assert page.count("chưa có số liệu") + page.count("no data") >= 1
