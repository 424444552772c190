"""Helpers for the competency-standard tests: complete content (sections, an effective
date, a matrix over the demo position groups) and `make_standard(state=...)`, which
drives a standard to a state through the real services. The driving is the engine's
shared `tests.workflows.helpers.drive`, which follows the opinion step for this kind:
TCCB submits, the Information Centre gives its opinion (the standard comes back to TCCB,
"returned"), TCCB submits it to the signer ("endorsed"), the Minister signs ("issued")."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from unittest import mock

from django.utils import timezone

from standards import demo
from standards.models import Standard
from standards.services import ItemRow, RequirementRow, standard_create, standard_update
from tests.workflows import helpers as h
from workflows.models import Document

DRAFTER = "soanthao.tccb"  # Personnel Department (TCCB): drafts, submits to the signer
CENTRE = "soanthao.tttt"  # Information Centre (TTTT): gives the technical opinion
MINISTER = h.MINISTER
VICE_MINISTER = h.VICE_MINISTER

BASIC = ["IU01", "IU02", "IU03", "IU04", "IU05", "IU06"]
CNTT_ADVANCED = ["IU07", "IU09", "IU14"]

SECTIONS = {
    "scope": "Công chức, viên chức của Ủy ban Dân tộc.",
    "applies_to": "Các Vụ, đơn vị thuộc Ủy ban.",
}

# One row per demo position group (standards/demo.py).
MATRIX = [
    RequirementRow("LANHDAO_UB", "none"),
    RequirementRow("LANHDAO_VU", "basic"),
    RequirementRow("CHUYENVIEN", "basic"),
    RequirementRow("CNTT", "advanced", CNTT_ADVANCED),
    RequirementRow("HANHCHINH", "none"),
]

ITEMS = [
    ItemRow("IU07.1", "Soạn thảo văn bản hành chính theo Nghị định 30/2020/NĐ-CP."),
    ItemRow("IU07.1.1", "Sử dụng mẫu văn bản có sẵn."),
    ItemRow("IU14.2", "Nhận biết thư điện tử giả mạo."),
]


def groups() -> None:
    """The demo position groups (idempotent): load them after the demo organisation."""
    demo.load_groups()


def create(title: str = "Chuẩn kỹ năng sử dụng CNTT của Ủy ban") -> Document:
    return standard_create(user=h.person(DRAFTER), title=title).document


def fill(
    document: Document,
    *,
    user: str = DRAFTER,
    title: str | None = None,
    sections: dict[str, str] | None = None,
    effective_date: dt.date | None = None,
    months_to_comply: int = 12,
    matrix: list[RequirementRow] | None = None,
    items: list[ItemRow] | None = None,
) -> Standard:
    """Replace the standard's content through the service (effective today by default)."""
    document.refresh_from_db()
    return standard_update(
        user=h.person(user),
        document_id=document.pk,
        version=document.version,
        title=title or document.title,
        sections=SECTIONS if sections is None else sections,
        effective_date=effective_date or timezone.localdate(),
        months_to_comply=months_to_comply,
        requirements=MATRIX if matrix is None else matrix,
        items=ITEMS if items is None else items,
    )


def make_standard(
    state: str = "draft",
    *,
    title: str = "Chuẩn kỹ năng sử dụng CNTT của Ủy ban",
    effective_date: dt.date | None = None,
    matrix: list[RequirementRow] | None = None,
    signer: str = MINISTER,
) -> Document:
    """A complete standard (effective today unless told) driven to `state` through the
    services, as people would. Needs the demo organisation and position groups."""
    document = create(title)
    fill(document, effective_date=effective_date, matrix=matrix)
    return h.drive(document, state, drafter=DRAFTER, reviewer=CENTRE, signer=signer)


def fresh(document: Document) -> Document:
    return Document.objects.get(pk=document.pk)


@contextmanager
def today_is(day: dt.date):
    """Move "today" (django.utils.timezone.localdate) to `day`; a call converting a given
    datetime still gets its real answer."""
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return day if value is None else real(value, timezone)

    with mock.patch("django.utils.timezone.localdate", side_effect=localdate):
        yield
