"""The data migrations that bring rows stored before the text rules up to them: NFC
text, sort keys and folded search copies, and the audit trail's refolded comments."""

import importlib
import io
import types
import unicodedata

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from budgeting.models import LineItem
from organisation.models import Person, Unit
from organisation.text import person_sort_key
from planning.models import Plan
from tests.budgeting import helpers as b
from tests.workflows import helpers as h
from workflows import audit, audit_db
from workflows.models import AuditEvent, Document

pytestmark = pytest.mark.django_db


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def run(app: str, migration: str, function: str) -> None:
    module = importlib.import_module(f"{app}.migrations.{migration}")
    getattr(module, function)(apps, types.SimpleNamespace(connection=connection))


def test_people_and_units_get_nfc_names_sort_keys_and_search_text(demo_org):
    Person.objects.filter(username=h.DRAFTER).update(
        full_name=nfd("Đặng Văn Đức"), sort_key="", search_folded=""
    )
    Unit.objects.filter(code="TTTT").update(name_vi=nfd("Trung tâm Thông tin"))
    run("organisation", "0002_person_sort_and_search", "fill")
    person = Person.objects.get(username=h.DRAFTER)
    assert person.full_name == "Đặng Văn Đức"
    assert person.sort_key == person_sort_key("Đặng Văn Đức")
    assert person.search_folded == f"dang van duc {h.DRAFTER}"
    assert Unit.objects.get(code="TTTT").name_vi == "Trung tâm Thông tin"


def test_documents_and_their_open_content_are_composed(demo_org):
    draft = h.make_plan("draft")
    issued = h.make_plan("issued")
    for document in (draft, issued):
        Document.objects.filter(pk=document.pk).update(
            title=nfd("Kế hoạch Đắk Nông"), search_folded=""
        )
        Plan.objects.filter(document_id=document.pk).update(sections={"a": nfd("Mục tiêu")})
    run("workflows", "0007_document_search", "fill")
    run("planning", "0004_compose_text", "compose")
    assert Document.objects.get(pk=draft.pk).title == "Kế hoạch Đắk Nông"
    assert Document.objects.get(pk=draft.pk).search_folded.endswith("ke hoach dak nong")
    assert Plan.objects.get(document_id=draft.pk).sections == {"a": "Mục tiêu"}
    # What was signed is left as it was signed.
    assert Plan.objects.get(document_id=issued.pk).sections == {"a": nfd("Mục tiêu")}


def test_estimate_lines_are_composed(demo_org):
    estimate = b.make_estimate()
    LineItem.objects.filter(estimate__document=estimate).update(content=nfd("Đào tạo"))
    run("budgeting", "0002_compose_text", "compose")
    assert set(
        LineItem.objects.filter(estimate__document=estimate).values_list("content", flat=True)
    ) == {"Đào tạo"}


def test_audit_comments_are_refolded_and_the_chain_stays_intact():
    event = audit.record(action=audit.DENIED, comment="Vượt ĐỊNH MỨC")
    audit_db.remove(connection)
    try:
        with connection.cursor() as cursor:
            # As migration 0005 folded it: case only.
            cursor.execute(
                "UPDATE workflows_auditevent SET comment_folded = %s WHERE id = %s",
                ["vượt định mức", event.pk],
            )
    finally:
        audit_db.install(connection)
    run("workflows", "0006_audit_search_folded", "refold")
    assert AuditEvent.objects.get(pk=event.pk).comment_folded == "vuot dinh muc"
    call_command("verify_audit", stdout=io.StringIO())
