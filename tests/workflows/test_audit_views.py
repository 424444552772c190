"""What the trail records beyond document actions, and the inspector's pages."""

import csv
import datetime as dt
import io
import unicodedata

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from organisation.models import Person, Unit
from planning import services as plans
from tests.workflows import helpers as h
from tests.workflows.helpers import FORMULA_LIKE, read_from_xlsx
from workflows import audit, audit_db
from workflows.models import AuditEvent, Document

pytestmark = pytest.mark.django_db


def _actions():
    return list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))


@pytest.fixture
def inspector(demo_org):
    return Person.objects.get(username="thanhtra")


@pytest.fixture
def plan(demo_org):
    drafter = Person.objects.get(username="soanthao.tttt")
    return plans.plan_create(
        user=drafter, kind="five_year_plan", title="Kế hoạch 2026-2030", period_start=2026
    )


# --- What is recorded -----------------------------------------------------------------


def test_sign_in_is_recorded_without_password(client, demo_org):
    client.post(reverse("login"), {"username": "botruong", "password": "ubdt-demo-2026"})
    event = AuditEvent.objects.get(action="organisation.session.signed_in")
    assert event.actor.username == "botruong" and event.unit_code == "LD"
    assert event.ip == "127.0.0.1"
    assert "ubdt-demo-2026" not in str(event.data)


def test_failed_sign_in_is_recorded_with_the_user_name_only(client, demo_org):
    client.post(reverse("login"), {"username": "botruong", "password": "sai-mat-khau"})
    event = AuditEvent.objects.get(action="organisation.session.sign_in_failed")
    assert event.data == {"username": "botruong"}
    assert "sai-mat-khau" not in str(event.data) + event.comment


def test_lockout_is_recorded(client, demo_org, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "botruong", "password": "sai"})
    assert "organisation.session.locked_out" in _actions()


def test_sign_out_is_recorded(client, demo_org):
    client.force_login(Person.objects.get(username="botruong"))
    client.post(reverse("logout"))
    assert _actions()[-1] == "organisation.session.signed_out"


@pytest.mark.parametrize(
    "username, status",
    [("hoidong.tdkt", 404), ("thanhtra", 403)],
    ids=["out-of-scope-404", "no-permission-403"],
)
def test_denied_access_to_a_document_is_recorded(client, plan, username, status):
    client.force_login(Person.objects.get(username=username))
    url = (
        reverse("workflows:document", args=[plan.pk])
        if status == 404
        else reverse("planning:edit", args=[plan.pk])
    )
    assert client.get(url).status_code == status
    event = AuditEvent.objects.filter(action=audit.DENIED).get()
    assert event.document_id == plan.pk and event.data["status"] == status
    assert event.actor.username == username


def test_a_denial_by_a_service_is_recorded_once(client, plan):
    client.force_login(Person.objects.get(username="thamdinh.kh"))
    document = Document.objects.get(pk=plan.pk)
    task = document.process.task_set.get(status="NEW")
    response = client.post(
        reverse("workflows:act", args=[plan.pk, task.pk]),
        {"action": "submit", "version": document.version},
    )
    assert response.status_code == 404  # a draft is outside the reviewer's scope
    assert AuditEvent.objects.filter(action=audit.DENIED).count() == 1


def test_admin_changes_to_people_and_roles_are_recorded(client, demo_org):
    admin = Person.objects.get(username="quantri")
    client.force_login(admin)
    person = Person.objects.get(username="vanthu.vp")
    response = client.post(
        reverse("admin:organisation_person_change", args=[person.pk]),
        {
            "username": person.username,
            "full_name": "Phạm Thị Dung",
            "email": person.email,
            "unit": Unit.objects.get(code="VP").pk,
            "position_title": "Chánh Văn phòng",
            "position_title_en": "",
            "groups": [Group.objects.get(name="office_clerk").pk],
            "is_active": "on",
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "01/01/2026",
            "date_joined_1": "08:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action="organisation.person.changed")
    assert event.actor == admin and "Position title" in str(event.data["change"])
    group = Group.objects.get(name="auditor")
    response = client.post(
        reverse("admin:auth_group_change", args=[group.pk]),
        {"name": "auditor", "permissions": []},
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="organisation.group.changed").exists()


def test_no_password_or_session_key_ever_reaches_the_trail(client, demo_org):
    client.post(reverse("login"), {"username": "botruong", "password": "ubdt-demo-2026"})
    session_key = client.session.session_key
    client.post(reverse("login"), {"username": "botruong", "password": "p@ss-wrong"})
    client.post(reverse("logout"))
    dump = str(list(AuditEvent.objects.values()))
    assert "ubdt-demo-2026" not in dump and "p@ss-wrong" not in dump
    assert session_key not in dump


# --- The inspector's pages ------------------------------------------------------------


def test_only_the_auditor_reads_the_trail(client, demo_org):
    for username, status in [("thanhtra", 200), ("botruong", 403), ("quantri", 403)]:
        client.force_login(Person.objects.get(username=username))
        assert client.get(reverse("audit:trail")).status_code == status


def test_filters_narrow_the_list(client, inspector, plan):
    audit.record(action=audit.DENIED, comment="không liên quan")
    client.force_login(inspector)
    response = client.get(reverse("audit:trail"), {"document_id": plan.pk})
    assert [e.document_id for e in response.context["page"]] == [plan.pk]
    response = client.get(reverse("audit:trail"), {"q": "liên quan"})
    assert [e.comment for e in response.context["page"]] == ["không liên quan"]
    response = client.get(reverse("audit:trail"), {"action": "planning.plan.created"})
    assert response.context["page"].count == 1
    response = client.get(reverse("audit:trail"), {"unit": "TTTT", "actor": "Nguyễn Văn An"})
    assert response.context["page"].count == 1


def test_bad_filters_are_400_not_500(client, inspector):
    client.force_login(inspector)
    for params in (
        {"date_from": "31/02/2026"},
        {"date_from": "02/03/2026", "date_to": "01/03/2026"},
        {"document_id": "abc"},
        {"action": "no.such.action"},
    ):
        assert client.get(reverse("audit:trail"), params).status_code == 400


def test_csv_export_has_a_bom_and_is_itself_recorded(client, inspector, plan):
    client.force_login(inspector)
    response = client.get(reverse("audit:export_csv"), {"document_id": plan.pk})
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:])))
    assert len(rows) == 2 and "Kế hoạch 2026-2030" in rows[1]
    event = AuditEvent.objects.get(action="workflows.audit.exported")
    assert event.data["format"] == "csv" and event.data["rows"] == 1


def test_xlsx_export(client, inspector, plan):
    client.force_login(inspector)
    response = client.get(reverse("audit:export_xlsx"), {"document_id": plan.pk})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][8] == "Kế hoạch 2026-2030"


def test_formula_like_text_stays_text_in_exports(client, inspector):
    audit.record(action=audit.DENIED, comment='=HYPERLINK("http://x")')
    client.force_login(inspector)
    body = b"".join(client.get(reverse("audit:export_csv")).streaming_content).decode()
    assert "'=HYPERLINK" in body


def test_document_timeline(client, inspector, plan):
    client.force_login(inspector)
    response = client.get(reverse("audit:document", args=[plan.pk]))
    assert response.status_code == 200
    assert [e.action for e in response.context["events"]] == ["planning.plan.created"]


def _bulk_events(n):
    start = AuditEvent.objects.count()
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                seq=start + i + 1,
                created_at="2026-01-01T00:00:00Z",
                action=audit.DENIED,
                comment=f"c{i}",
                prev_hash="0" * 64,
                hash="0" * 64,
            )
            for i in range(n)
        ],
        batch_size=5000,
    )


def test_trail_page_queries_do_not_grow_with_events(client, inspector):
    client.force_login(inspector)
    url = reverse("audit:trail")
    client.get(url)  # warm caches (content types, permissions)
    _bulk_events(1_000)
    with CaptureQueriesContext(connection) as small:
        response = client.get(url)
    assert len(response.context["page"].object_list) == 50
    _bulk_events(99_000)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.context["page"].count >= 100_000
    assert len(small) == len(large)


def test_comment_search_ignores_case_of_vietnamese_letters(client, inspector):
    audit.record(action=audit.DENIED, comment="Vượt định mức kinh phí")
    client.force_login(inspector)
    for words in ("định mức", "ĐỊNH MỨC", "Định Mức"):
        response = client.get(reverse("audit:trail"), {"q": words})
        assert [e.comment for e in response.context["page"]] == ["Vượt định mức kinh phí"]


def test_comment_search_ignores_diacritics_and_unicode_form(client, inspector):
    audit.record(action=audit.DENIED, comment="Vượt định mức kinh phí")
    audit.record(action=audit.DENIED, comment=unicodedata.normalize("NFD", "Kế hoạch ứng dụng"))
    client.force_login(inspector)
    for words, found in [
        ("dinh muc", "Vượt định mức kinh phí"),
        (unicodedata.normalize("NFD", "ĐỊNH mức"), "Vượt định mức kinh phí"),
        ("ke hoach ung dung", unicodedata.normalize("NFD", "Kế hoạch ứng dụng")),
        ("Kế hoạch", unicodedata.normalize("NFD", "Kế hoạch ứng dụng")),
    ]:
        response = client.get(reverse("audit:trail"), {"q": words})
        assert [e.comment for e in response.context["page"]] == [found]


def test_document_filter_ignores_case_diacritics_and_unicode_form(client, inspector, plan):
    client.force_login(inspector)
    for words in ("ke hoach 2026", "KẾ HOẠCH", unicodedata.normalize("NFD", "Kế hoạch")):
        response = client.get(reverse("audit:trail"), {"document": words})
        assert {e.document_id for e in response.context["page"]} == {plan.pk}


def test_trail_shows_the_document_title_of_the_time(client, inspector, plan):
    Document.objects.filter(pk=plan.pk).update(title="Kế hoạch đã đổi tên")
    client.force_login(inspector)
    response = client.get(reverse("audit:trail"), {"document_id": plan.pk})
    assert response.context["page"][0].data["document_title"] == "Kế hoạch 2026-2030"
    assert "Kế hoạch 2026-2030" in response.content.decode()
    assert "Kế hoạch đã đổi tên" not in response.content.decode()
    response = client.get(reverse("audit:export_csv"), {"document_id": plan.pk})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode()[1:])))
    assert "Kế hoạch 2026-2030" in rows[1] and "Kế hoạch đã đổi tên" not in rows[1]


def test_events_recorded_before_titles_were_kept_show_the_current_title(client, inspector, plan):
    event = AuditEvent.objects.get(document_id=plan.pk)
    old = {k: v for k, v in event.data.items() if k != "document_title"}
    audit_db.remove(connection)  # an event as recorded before titles were kept
    try:
        AuditEvent._base_manager.filter(pk=event.pk).update(data=old)
    finally:
        audit_db.install(connection)
    client.force_login(inspector)
    response = client.get(reverse("audit:trail"), {"document_id": plan.pk})
    assert response.status_code == 200
    assert "Kế hoạch 2026-2030" in response.content.decode()


@pytest.mark.postgres
def test_folded_searches_have_a_trigram_index_on_postgresql():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexdef LIKE '%%gin_trgm_ops%%'")
        names = {row[0] for row in cursor.fetchall()}
    assert {
        "workflows_auditevent_comment_folded_trgm",
        "workflows_document_search_folded_trgm",
    } <= names


def test_person_filter_by_user_name(client, inspector, plan):
    client.force_login(inspector)
    response = client.get(reverse("audit:trail"), {"actor": "soanthao.tttt"})
    assert {e.actor.username for e in response.context["page"]} == {"soanthao.tttt"}
    response = client.get(reverse("audit:trail"), {"actor": "Văn An"})
    assert {e.actor_name for e in response.context["page"]} == {"Nguyễn Văn An"}


# --- Typed text never becomes a formula; numbers, dates and blanks keep their kind ------

COMMENT, EMPTY = 12, (2, 3, 4, 6, 7, 8, 9, 10, 11, 13)  # columns of the export


def _denial_export(client, inspector, name, typed):
    event = audit.record(action=audit.DENIED, comment=typed)  # no person, no document
    client.force_login(inspector)
    return event, client.get(reverse(name), {"action": audit.DENIED})


@pytest.mark.parametrize("typed", FORMULA_LIKE)
def test_audit_csv_export_quotes_typed_formulas_and_leaves_blanks_empty(client, inspector, typed):
    event, response = _denial_export(client, inspector, "audit:export_csv", typed)
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(body, newline="")))
    assert row[COMMENT] == "'" + typed
    assert [row[i] for i in EMPTY] == [""] * len(EMPTY)  # not "'"
    assert row[0] == str(event.seq)
    local = timezone.localtime(event.created_at)
    assert row[1] == local.strftime("%d/%m/%Y %H:%M:%S")


@pytest.mark.parametrize("typed", FORMULA_LIKE)
def test_audit_xlsx_export_keeps_typed_text_numbers_dates_and_blanks(client, inspector, typed):
    event, response = _denial_export(client, inspector, "audit:export_xlsx", typed)
    sheet = load_workbook(io.BytesIO(response.content)).active
    row = list(sheet.iter_rows(min_row=2, max_row=2))[0]
    assert row[COMMENT].value == read_from_xlsx(typed)
    assert row[COMMENT].data_type == "s"  # not "f"
    assert [row[i].value for i in EMPTY] == [None] * len(EMPTY)  # not "'"
    assert row[0].value == event.seq and row[0].data_type == "n"
    local = timezone.localtime(event.created_at).replace(tzinfo=None)
    assert row[1].is_date and abs(row[1].value - local) < dt.timedelta(seconds=1)
    assert row[1].number_format == "dd/mm/yyyy hh:mm:ss"


@pytest.mark.parametrize("day", ["31/12/9999", "01/01/0001", "1/1/1"])
@pytest.mark.parametrize("url", ["/audit/", "/audit/export.csv", "/audit/export.xlsx"])
@pytest.mark.parametrize("field", ["date_from", "date_to"])
def test_a_date_out_of_range_is_refused_not_an_error(client, demo_org, url, field, day):
    """Year 9999 or 0001 parsed as a date, then overflowed as a Hà Nội time range (500)."""
    client.force_login(h.person("thanhtra"))
    response = client.get(url, {field: day})
    assert response.status_code in (200, 400)
    if url == "/audit/":
        assert "01/01/1900" in response.content.decode()
