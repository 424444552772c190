"""Document kinds plug into the engine here.

The engine knows no kind: each app registers a `DocumentKind` in its `AppConfig.ready()`
saying which unit drafts and which reviews, which permissions those people need, which
register numbers it when issued, and how to snapshot its content for revisions and diffs.
Everything else (lifecycle, flow, services, audit, numbering, diff, mail) is shared.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise

from .content import Schema

if TYPE_CHECKING:
    from .models import Document


@dataclass(frozen=True)
class DocumentKind:
    code: str
    label: str | Promise
    label_plural: str | Promise
    # Dotted audit prefix: actions become f"{audit_prefix}.submitted" and so on.
    audit_prefix: str
    drafting_unit: str
    reviewing_unit: str
    draft_permission: str
    review_permission: str
    sign_permission: str = "organisation.sign_documents"
    # Who issues it after the signature: the Office's clerk (văn thư) numbers, dates and
    # seals every kind.
    issue_permission: str = "organisation.register_documents"
    # The register that numbers the issued document, e.g. "KH" gives "07/KH-UBDT".
    register: str = "KH"
    # Decree 30/2020 document type printed above the summary, e.g. "KẾ HOẠCH".
    print_type: str = "KẾ HOẠCH"
    # What the content consists of (see workflows/content.py) and how to take a snapshot
    # of a document's current content in that shape.
    schema: Schema = field(default_factory=Schema)
    snapshot: Callable[[Document], dict[str, Any]] = field(default=lambda d: {})
    # URL name of the kind's own page for a document (takes the document pk).
    detail_url_name: str = ""
    edit_url_name: str = ""
    # Extra checks before submission: returns a list of messages; empty means ready.
    submission_problems: Callable[[Document], list[str]] = field(default=lambda d: [])
    recipients: tuple[str, ...] = ()
    # "approval": the reviewing unit returns or endorses (plans, estimates).
    # "opinion": the reviewing unit gives an opinion (agree / agree with comments /
    # disagree), the document goes back to the drafting unit, which then submits it to
    # the signer itself (competency standards).
    review_mode: str = "approval"
    # Checks at the moment of signing (e.g. an effective date already past) and what
    # follows an issue inside the same transaction (e.g. superseding an older standard).
    issue_problems: Callable[[Document, Any], list[str]] = field(default=lambda d, day: [])
    after_issue: Callable[[Document], None] = field(default=lambda d: None)
    # Extra panels on the document, review and sign pages: a template and its context,
    # built from the document and the content snapshot being shown.
    panels_template: str = ""
    panels: Callable[[Document, dict[str, Any]], dict[str, Any]] = field(default=lambda d, s: {})
    # Warnings every reviewer and signer must see where they act (e.g. over the ceiling);
    # given the panels already built for the same page, so figures are computed once.
    warnings: Callable[..., list[str]] = field(default=lambda d, s, panels=None: [])
    # How the audit trail names this kind's actions when kinds share a prefix.
    audit_label: str | Promise = ""
    # The kind's own default durations in working days, by step ("review", "opinion",
    # "signature", "revision"), where they differ from the product's (deadlines.models);
    # administrators override both in the admin.
    step_days: Mapping[str, int] = field(default_factory=dict)
    # When a first draft of year N is due (e.g. the year's guidance deadline), or None:
    # a kind without it drafts at its own pace.
    draft_due_on: Callable[[int], dt.date | None] | None = None


_KINDS: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> DocumentKind:
    from . import audit

    _KINDS[kind.code] = kind
    audit.register_document_actions(kind.audit_prefix, kind.audit_label or kind.label)
    return kind


def get(code: str) -> DocumentKind:
    return _KINDS[code]


def all_kinds() -> list[DocumentKind]:
    return list(_KINDS.values())


def choices() -> list[tuple[str, Any]]:
    return [(k.code, k.label) for k in _KINDS.values()]
