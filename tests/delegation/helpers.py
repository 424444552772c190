"""Shared helpers for the delegation tests: the demo people who record and sign, and a
delegation recorded through the real service."""

from __future__ import annotations

import datetime as dt

from delegation import services
from tests.workflows import helpers as h

MINISTER = h.MINISTER
VICE_MINISTER = h.VICE_MINISTER
ADMINISTRATOR = "quantri"
CLERK = "vanthu.vp"
DECISION = "Quyết định số 123/QĐ-UBDT ngày 01/12/2026"
INSTRUCTION = "Văn bản chỉ đạo số 45/UBDT-VP ngày 30/11/2026"


def record(
    *,
    by: str = MINISTER,
    delegate: str = VICE_MINISTER,
    kinds=(),
    all_kinds: bool = True,
    starts_on: dt.date,
    ends_on: dt.date,
    decision: str = DECISION,
    instruction: str = "",
):
    return services.delegation_record(
        user=h.person(by),
        delegate_id=h.person(delegate).pk,
        kind_codes=list(kinds),
        all_kinds=all_kinds,
        starts_on=starts_on,
        ends_on=ends_on,
        decision_reference=decision,
        instruction_reference=instruction,
    )
