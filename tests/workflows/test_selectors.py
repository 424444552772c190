"""The document lists' search: case, diacritics and Unicode form ignored, on every
database, through the folded column Document.save keeps."""

import unicodedata

import pytest

from planning import services as planning
from tests.workflows import helpers as h
from workflows import selectors
from workflows.models import Document

pytestmark = pytest.mark.django_db


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def _plan(title: str) -> Document:
    plan = planning.plan_create(
        user=h.person(h.DRAFTER), kind="five_year_plan", title=title, period_start=2026
    )
    return Document.objects.get(pk=plan.document_id)


def _found(q: str) -> list[int]:
    return [d.pk for d in selectors.document_list(h.person(h.DRAFTER), q=q)]


def test_a_decomposed_title_is_stored_composed_and_found(demo_org):
    document = _plan(nfd("Kế hoạch ứng dụng CNTT"))
    assert document.title == "Kế hoạch ứng dụng CNTT"
    assert _found("Kế hoạch ứng dụng") == [document.pk]


def test_a_decomposed_query_finds_a_composed_title(demo_org):
    document = _plan("Kế hoạch ứng dụng CNTT")
    assert _found(nfd("kế hoạch ứng dụng")) == [document.pk]


@pytest.mark.parametrize(
    "q", ["ke hoach ung dung", "KẾ HOẠCH ỨNG", "dak nong", "đắk nông", "ĐẮK   NÔNG", "nong ke"]
)
def test_search_ignores_case_diacritics_and_word_order(demo_org, q):
    document = _plan("Kế hoạch ứng dụng CNTT tỉnh Đắk Nông")
    _plan("Kế hoạch khác")
    assert _found(q) == [document.pk]


def test_search_follows_a_renamed_title(demo_org):
    document = _plan("Kế hoạch cũ")
    document.title = "Đề án mới"
    document.save(update_fields=["title"])
    assert _found("de an moi") == [document.pk]
    assert _found("ke hoach cu") == []
