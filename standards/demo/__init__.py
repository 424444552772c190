"""Demo position groups, competency standards and IT certificates, read from the YAML
files beside this module. Standards and certificates go through the real services
(revisions hashed, the opinion and signature audited, the number from the QĐ register).
Idempotent: groups by code, placements by person, standards by title, certificates by
issuing body and number."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from organisation.models import Person
from workflows import services as engine
from workflows.models import Document
from workflows.scripted import document_sign_and_issue

from .. import certificates, services
from ..models import BASIC_MODULES, Certificate, Membership, PositionGroup

HERE = Path(__file__).parent
DRAFTER, CENTRE, SIGNER = "soanthao.tccb", "soanthao.tttt", "botruong"
STANDARD_KEYS = {"title", "state", "effective_in_months", "months_to_comply", "sections"}
STANDARD_KEYS |= {"matrix", "items"}
CERTIFICATE_KEYS = {"person", "modules", "issued_on", "body", "number"}


def read(name: str) -> dict:
    """One data file, checked against the keys the loaders below read."""
    data = yaml.safe_load((HERE / name).read_text(encoding="utf-8"))
    for s in data.get("standards", []):
        if not STANDARD_KEYS <= set(s) <= STANDARD_KEYS | {"opinion"}:
            raise ValueError(f"{name}: standard {s.get('title')} needs {sorted(STANDARD_KEYS)}")
        if s["state"] not in ("issued", "submitted", "draft"):
            raise ValueError(f"{name}: state must be issued, submitted or draft")
    for c in data.get("certificates", []):
        if set(c) != CERTIFICATE_KEYS:
            raise ValueError(f"{name}: certificate {c} needs exactly {sorted(CERTIFICATE_KEYS)}")
    return data


@transaction.atomic
def load_groups() -> str:
    """The position groups, with every demo person whose group is known placed in one."""
    data = read("groups.yaml")
    groups = {}
    for g in data["groups"]:
        groups[g["code"]], _created = PositionGroup.objects.get_or_create(
            code=g["code"],
            defaults={"name_vi": g["name_vi"], "name_en": g["name_en"], "sort_order": g["order"]},
        )
    centre = data["centre_staff"]
    placed = 0
    people = Person.objects.filter(position_group_link__isnull=True).select_related("unit")
    for person in people:
        code = data["places"].get(person.username) or data["by_title"].get(person.position_title)
        if code == "CHUYENVIEN" and person.unit and person.unit.code == centre["unit"]:
            code = centre["group"]
        if code:
            Membership.objects.create(person=person, group=groups[code])
            placed += 1
    return f"Position groups: {len(groups)}, people placed: {placed}"


def _first_of_month(months: int) -> dt.date:
    today = timezone.localdate()
    if months == 0:
        return today  # in force from the day of issue
    month = today.month - 1 + months
    return dt.date(today.year + month // 12, month % 12 + 1, 1)


def _standard(spec: dict, people: dict) -> str:
    if Document.objects.filter(kind=services.KIND, title=spec["title"]).exists():
        return "already existed"
    drafter = people[DRAFTER]
    standard = services.standard_create(user=drafter, title=spec["title"])
    doc_id = standard.document_id
    services.standard_update(
        user=drafter,
        document_id=doc_id,
        version=None,
        title=spec["title"],
        sections=spec["sections"],
        effective_date=_first_of_month(spec["effective_in_months"]),
        months_to_comply=spec["months_to_comply"],
        requirements=[
            services.RequirementRow(r["group"], r["level"], r.get("modules", []))
            for r in spec["matrix"]
        ],
        items=[services.ItemRow(i["code"], i["text"]) for i in spec["items"]],
    )
    if spec["state"] == "draft":
        return "drafted"
    engine.document_act(user=drafter, document_id=doc_id, action="submit")
    if spec["state"] == "submitted":
        return "submitted for the Centre's opinion"
    centre, signer = people[CENTRE], people[SIGNER]
    document = Document.objects.get(pk=doc_id)
    engine.revision_mark_seen(user=centre, document=document, revision_number=1)
    engine.document_act(
        user=centre,
        document_id=doc_id,
        action="opinion",
        verdict=spec["opinion"]["verdict"],
        comment=spec["opinion"]["comment"],
    )
    engine.document_act(user=drafter, document_id=doc_id, action="submit_to_signer")
    engine.revision_mark_seen(user=signer, document=document, revision_number=2)
    document = document_sign_and_issue(signer=signer, document_id=doc_id)
    return f"issued as {document.number_text}"


def _certificates(data: dict) -> int:
    recorder = Person.objects.filter(username=data["recorded_by"]).first()
    people = dict(Person.objects.values_list("username", "pk"))
    recorded = 0
    for c in data["certificates"]:
        if recorder is None or c["person"] not in people:
            continue
        if Certificate.objects.filter(issuing_body=c["body"], number=c["number"]).exists():
            continue
        certificates.certificate_record(
            user=recorder,
            person_id=people[c["person"]],
            module_codes=BASIC_MODULES if c["modules"] == "basic" else c["modules"],
            issued_on=c["issued_on"],
            issuing_body=c["body"],
            number=c["number"],
        )
        recorded += 1
    return recorded


def load_demo() -> str:
    groups = load_groups()
    people = {p.username: p for p in Person.objects.filter(username__in=[DRAFTER, CENTRE, SIGNER])}
    if len(people) < 3:
        return groups + "; demo standards skipped: missing demo accounts"
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
        transaction.atomic(),
    ):
        done = [_standard(spec, people) for spec in read("standards.yaml")["standards"]]
        recorded = _certificates(read("certificates.yaml"))
    return f"{groups}; demo standards: {', '.join(done)}; certificates recorded: {recorded}"
