"""How competency standards plug into the engine: the Personnel Department drafts, the
Information Centre gives its technical opinion, the Minister issues them by decision."""

from __future__ import annotations

from typing import Any

from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from workflows import kinds
from workflows.content import Column, Schema, Table

from .models import Requirement, Standard

KIND = "competency_standard"

SCHEMA = Schema(
    fields=(
        Column("effective_date", _("Effective date"), "date"),
        Column("months_to_comply", _("Months allowed to comply")),
    ),
    sections=(("scope", _("Scope")), ("applies_to", _("Who it applies to"))),
    tables=(
        Table(
            "matrix",
            _("Requirement matrix"),
            (
                Column("group", _("Position group")),
                Column("level", _("Requirement"), "choice", dict(Requirement.Level.choices)),
                Column("advanced_modules", _("Advanced modules")),
            ),
        ),
        Table(
            "items",
            _("Requirement items of this standard"),
            (Column("code", _("Code")), Column("text", _("Requirement"))),
        ),
    ),
)


def snapshot(document) -> dict[str, Any]:
    standard = Standard.objects.get(document=document)
    requirements = standard.requirements.select_related("group").prefetch_related(
        "advanced_modules"
    )
    return {
        "title": document.title,
        "fields": {
            "effective_date": standard.effective_date.isoformat()
            if standard.effective_date
            else None,
            "months_to_comply": standard.months_to_comply,
        },
        "sections": {k: standard.sections.get(k, "") for k, _label in SCHEMA.sections},
        "tables": {
            "matrix": [
                {
                    "uid": r.group.code,
                    "group": r.group.name_vi,
                    "level": r.level,
                    "advanced_modules": ", ".join(sorted(m.code for m in r.advanced_modules.all())),
                }
                for r in requirements
            ],
            "items": [
                {"uid": i.code, "code": i.code, "text": i.text}
                for i in standard.items.order_by("code")
            ],
        },
    }


def submission_problems(document) -> list[str]:
    standard = Standard.objects.get(document=document)
    problems = [
        gettext("The section “%(section)s” must be filled in.") % {"section": label}
        for key, label in SCHEMA.sections
        if not (standard.sections.get(key) or "").strip()
    ]
    if standard.effective_date is None:
        problems.append(gettext("Give the effective date."))
    if not standard.requirements.exclude(level=Requirement.Level.NONE).exists():
        problems.append(gettext("The matrix must require something of at least one group."))
    return problems


def issue_problems(document, issued_on) -> list[str]:
    standard = Standard.objects.get(document=document)
    if standard.effective_date and standard.effective_date < issued_on:
        return [
            gettext(
                "The effective date (%(date)s) is before the date of issue: return the "
                "standard so that the Personnel Department sets a new date."
            )
            % {"date": formats.date_format(standard.effective_date, "SHORT_DATE_FORMAT")}
        ]
    return []


def after_issue(document) -> None:
    from .services import apply_supersession

    apply_supersession()


def register() -> None:
    kinds.register(
        kinds.DocumentKind(
            code=KIND,
            label=_("IT competency standard"),
            label_plural=_("Competency standards"),
            audit_prefix="standards.standard",
            drafting_unit="TCCB",
            reviewing_unit="TTTT",
            draft_permission="organisation.draft_competency_standards",
            review_permission="organisation.give_technical_opinion",
            register="QĐ",
            print_type="QUYẾT ĐỊNH",
            schema=SCHEMA,
            snapshot=snapshot,
            detail_url_name="workflows:document",
            edit_url_name="standards:edit",
            submission_problems=submission_problems,
            review_mode="opinion",
            issue_problems=issue_problems,
            after_issue=after_issue,
            recipients=("Như trên", "Các Vụ, đơn vị thuộc Ủy ban", "Lưu: VT, TCCB"),
        )
    )
