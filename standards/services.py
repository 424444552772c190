"""Writing competency standards and position groups; which standard is in force and the
supersession of older ones. The engine does locking, permission, versions and audit."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organisation.text import clean
from workflows import audit
from workflows import services as engine
from workflows.exceptions import ActionForbidden, InvalidInput
from workflows.formatting import grouped
from workflows.models import Document, State

from .models import (
    ADVANCED_FOR_CERTIFICATE,
    Module,
    PositionGroup,
    Requirement,
    RequirementItem,
    Standard,
)

KIND = "competency_standard"
ITEM_CODE = re.compile(r"IU\d{2}(\.\d{1,2}){1,3}")
SECTION_KEYS = ("scope", "applies_to")
MAX_SECTION = 20_000
GROUPS_PERMISSION = "organisation.draft_competency_standards"
GROUP_SAVED = audit.register_action("standards.group.saved", gettext_lazy("Position group saved"))


@dataclass
class RequirementRow:
    group: str  # PositionGroup.code
    level: str
    advanced_modules: list[str] = field(default_factory=list)


@dataclass
class ItemRow:
    code: str
    text: str


@engine.record_denials
def standard_create(*, user, title: str, year: int | None = None, ip: str | None = None):
    title = clean(title)
    if not title:
        raise InvalidInput(problems=[_("A standard needs a title.")])
    if len(title) > 500:
        raise InvalidInput(problems=[_("The title may be at most 500 characters.")])
    year = year or timezone.localdate().year
    with transaction.atomic():
        document = engine.document_create(user=user, kind=KIND, title=title, year=year, ip=ip)
        return Standard.objects.create(document=document, sections=dict.fromkeys(SECTION_KEYS, ""))


def validate(
    *,
    sections: dict[str, str],
    effective_date,
    months_to_comply,
    requirements: list[RequirementRow],
    items: list[ItemRow],
    today: dt.date,
) -> list[str]:
    problems: list[str] = []
    for key, text in sections.items():
        if key not in SECTION_KEYS:
            problems.append(_("Unknown section “%(key)s”.") % {"key": key})
        elif len(text or "") > MAX_SECTION:
            problems.append(
                _("A section may be at most %(n)s characters: shorten it.")
                % {"n": grouped(MAX_SECTION)}
            )
    if effective_date is not None and effective_date < today:
        problems.append(_("The effective date cannot be before the date of issue."))
    if not isinstance(months_to_comply, int) or not 0 <= months_to_comply <= 120:
        problems.append(_("The time allowed to comply must be 0 to 120 months."))
    modules = {m.code: m for m in Module.objects.all()}
    groups = set(PositionGroup.objects.values_list("code", flat=True))
    seen = set()
    for row in requirements:
        if row.group not in groups:
            problems.append(_("Unknown position group “%(code)s”.") % {"code": row.group})
            continue
        if row.group in seen:
            problems.append(_("Position group “%(code)s” appears twice.") % {"code": row.group})
        seen.add(row.group)
        if row.level not in Requirement.Level.values:
            problems.append(_("Unknown requirement for “%(code)s”.") % {"code": row.group})
            continue
        unknown = [c for c in row.advanced_modules if c not in modules]
        if unknown:
            problems.append(
                _("Unknown module codes: %(codes)s.") % {"codes": ", ".join(sorted(unknown))}
            )
            continue
        not_advanced = [c for c in row.advanced_modules if modules[c].level != "advanced"]
        if not_advanced:
            problems.append(
                _("%(codes)s are not advanced modules.") % {"codes": ", ".join(not_advanced)}
            )
        if row.level == Requirement.Level.ADVANCED and (
            len(set(row.advanced_modules)) < ADVANCED_FOR_CERTIFICATE
        ):
            problems.append(
                _("“%(code)s”: the advanced certificate needs at least three advanced modules.")
                % {"code": row.group}
            )
        if row.level != Requirement.Level.ADVANCED and row.advanced_modules:
            problems.append(
                _("“%(code)s”: advanced modules only go with the advanced certificate.")
                % {"code": row.group}
            )
    codes = set()
    for item in items:
        code = clean(item.code)
        if not code or not clean(item.text):
            problems.append(_("Each requirement item needs a code and a text."))
            continue
        module = code.split(".", 1)[0]
        if module not in modules or not ITEM_CODE.fullmatch(code):
            problems.append(
                _("“%(code)s” is not a code under a module, like IU07.1 or IU07.1.1.")
                % {"code": code}
            )
        if code in codes:
            problems.append(_("The item code “%(code)s” appears twice.") % {"code": code})
        codes.add(code)
        if len(item.text) > 1000:
            problems.append(
                _("An item may be at most %(n)s characters: shorten it.") % {"n": grouped(1000)}
            )
    return problems


@engine.record_denials
def standard_update(
    *,
    user,
    document_id: int,
    version: int | None,
    title: str,
    sections: dict[str, str],
    effective_date,
    months_to_comply: int,
    requirements: list[RequirementRow],
    items: list[ItemRow],
    ip: str | None = None,
) -> Standard:
    with engine.document_editing(
        user=user, document_id=document_id, version=version, ip=ip, what="content"
    ) as document:
        standard = Standard.objects.get(document=document)
        title = clean(title)
        problems = [] if title else [_("A standard needs a title.")]
        if len(title) > 500:
            problems.append(_("The title may be at most 500 characters."))
        problems += validate(
            sections=sections,
            effective_date=effective_date,
            months_to_comply=months_to_comply,
            requirements=requirements,
            items=items,
            today=timezone.localdate(),
        )
        if problems:
            raise InvalidInput(problems=problems)
        document.title = title
        standard.sections = {k: clean(sections.get(k)) for k in SECTION_KEYS}
        standard.effective_date = effective_date
        standard.months_to_comply = months_to_comply
        standard.save()
        groups = {g.code: g for g in PositionGroup.objects.all()}
        modules = {m.code: m for m in Module.objects.all()}
        standard.requirements.all().delete()
        for row in requirements:
            requirement = Requirement.objects.create(
                standard=standard, group=groups[row.group], level=row.level
            )
            requirement.advanced_modules.set([modules[c] for c in set(row.advanced_modules)])
        standard.items.all().delete()
        RequirementItem.objects.bulk_create(
            [
                RequirementItem(
                    standard=standard,
                    module=modules[clean(i.code).split(".", 1)[0]],
                    code=clean(i.code),
                    text=clean(i.text),
                )
                for i in items
            ]
        )
        return standard


def position_group_save(
    *, user, code: str, name_vi: str, name_en: str, sort_order: int = 0, active: bool = True
) -> PositionGroup:
    if not user.has_perm(GROUPS_PERMISSION):
        raise ActionForbidden
    code = clean(code).upper()
    if not code or not clean(name_vi) or not clean(name_en):
        raise InvalidInput(problems=[_("A position group needs a code and both names.")])
    with transaction.atomic():
        group, created = PositionGroup.objects.update_or_create(
            code=code,
            defaults={
                "name_vi": clean(name_vi),
                "name_en": clean(name_en),
                "sort_order": sort_order,
                "active": active,
            },
        )
        audit.record(
            action=GROUP_SAVED,
            actor=user,
            data={"code": code, "created": created, "active": active},
        )
    return group


# --- In force and superseded ----------------------------------------------------------

SUPERSEDED = "standards.standard.superseded"  # registered with the kind's actions


def in_force(today: dt.date | None = None) -> Standard | None:
    """The issued standard with the latest effective date not after today."""
    today = today or timezone.localdate()
    return (
        Standard.objects.filter(
            document__state=State.ISSUED,
            effective_date__lte=today,
        )
        .select_related("document")
        .order_by("-effective_date", "-document__issued_on", "-document_id")
        .first()
    )


def apply_supersession(*, today: dt.date | None = None) -> list[Document]:
    """Mark superseded every issued standard older than the one now in force. Run when
    a standard is issued and daily (manage.py apply_standards), since a standard may be
    issued now and take effect later."""
    current = in_force(today)
    if current is None:
        return []
    superseded = []
    with transaction.atomic():
        older = (
            Document.objects.select_for_update()
            .filter(kind=KIND, state=State.ISSUED)
            .exclude(pk=current.pk)
            .filter(standard__effective_date__lte=current.effective_date)
        )
        for document in older:
            document.supersede()
            document.save()
            audit.record(
                action=SUPERSEDED,
                document=document,
                from_state=State.ISSUED,
                to_state=State.SUPERSEDED,
                data={"by": current.pk, "by_number": current.document.number_text},
            )
            superseded.append(document)
    return superseded
