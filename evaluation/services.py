"""Writing the evaluation. Every write checks who may do it here (views only ask), runs in
one transaction and leaves a dotted audit event (evaluation.<entity>.<verb>).

Decisions (README): a self-assessment may be submitted after its due date; it is then
marked late, and so is a unit that never submitted by the time the Centre finalises. A
unit that never submitted is ranked with 0 points (its draft values are not scored), and
marked "late, not submitted" in the ranking."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from organisation.models import Person
from organisation.selectors import permission_q
from organisation.text import clean
from reporting.models import CriteriaSet
from workflows import audit
from workflows import services as engine
from workflows.exceptions import ActionForbidden, InvalidInput, NotInScope
from workflows.models import State
from workflows.notifications import queue_mails
from worktime.calendar import today

from . import evidence as evidence_files
from . import prefill, selectors
from .kinds import KIND
from .models import Evaluation, Evidence, Remark, SelfAssessment, Value

S = SelfAssessment.State
MAX_EVIDENCE_PER_VALUE = 10
RANKING_TITLE = "Quyết định công bố kết quả xếp hạng ứng dụng công nghệ thông tin năm {year}"


def default_dues(year: int) -> tuple[dt.date, dt.date]:
    """Decision 240: self-assessments before 25/11, the ranking before 25/12 (the last
    allowed day is the 24th). EVALUATION_DUE = ((11, 24), (12, 24)) changes them."""
    (sm, sd), (rm, rd) = getattr(settings, "EVALUATION_DUE", ((11, 24), (12, 24)))
    return dt.date(year, sm, sd), dt.date(year, rm, rd)


def _require(user, permission: str) -> None:
    if not user.has_perm(permission):
        raise ActionForbidden


def _record(action: str, user, *, data: dict, comment: str = "", ip=None, document=None):
    audit.record(action=action, actor=user, data=data, comment=comment, ip=ip, document=document)


@engine.record_denials
@transaction.atomic
def evaluation_open(
    *,
    user,
    criteria_document_id: int,
    self_due_on: dt.date | None = None,
    ranking_due_on: dt.date | None = None,
    ip: str | None = None,
) -> Evaluation:
    _require(user, selectors.RUN)
    criteria = (
        CriteriaSet.objects.select_related("document")
        .filter(document_id=criteria_document_id)
        .first()
    )
    if criteria is None:
        raise NotInScope
    document = criteria.document
    if document.state != State.ISSUED:
        raise InvalidInput(problems=[_("Only an issued criteria set can open an evaluation.")])
    year = document.year
    if Evaluation.objects.filter(year=year).exists():
        raise InvalidInput(
            problems=[_("The evaluation of %(year)s is already open.") % {"year": year}]
        )
    default_self, default_ranking = default_dues(year)
    self_due_on = self_due_on or default_self
    ranking_due_on = ranking_due_on or default_ranking
    if ranking_due_on < self_due_on:
        raise InvalidInput(problems=[_("The ranking cannot be due before the self-assessments.")])
    evaluation = Evaluation.objects.create(
        year=year,
        criteria=criteria,
        self_due_on=self_due_on,
        ranking_due_on=ranking_due_on,
        opened_by=user,
    )
    units = list(selectors.units_to_assess())
    assessments = SelfAssessment.objects.bulk_create(
        SelfAssessment(evaluation=evaluation, unit=u) for u in units
    )
    indicators = selectors.unit_indicators(evaluation)
    known = prefill.values([u.pk for u in units], year)
    sources = prefill.mapping()
    rows = []
    for a in assessments:
        for i in indicators:
            source = sources.get(i.code, "")
            figure = known.get(source, {}).get(a.unit_id) if source else None
            rows.append(
                Value(
                    assessment=a,
                    indicator=i,
                    value=figure,
                    prefilled=figure,
                    prefill_source=source if figure is not None else "",
                )
            )
    Value.objects.bulk_create(rows)
    _record(
        "evaluation.cycle.opened",
        user,
        data={"year": year, "units": len(units), "self_due_on": self_due_on.isoformat()},
        ip=ip,
    )
    return evaluation


def _assessment_to_fill(user, assessment_id: int) -> SelfAssessment:
    assessment = selectors.assessment_for(user, assessment_id, fill=True)
    if assessment.state != S.DRAFT or assessment.evaluation.state != Evaluation.State.OPEN:
        raise InvalidInput(problems=[_("This self-assessment is no longer open.")])
    return assessment


@engine.record_denials
@transaction.atomic
def self_assessment_appoint(
    *, user, assessment_id: int, filler_id: int | None, ip: str | None = None
) -> SelfAssessment:
    """The head names the person who fills in the unit's self-assessment (one of the
    unit's own people), or nobody."""
    assessment = _assessment_to_fill(user, assessment_id)
    if user.pk != assessment.unit.head_id:
        raise ActionForbidden
    if (
        filler_id is not None
        and not Person.objects.filter(
            pk=filler_id, unit_id=assessment.unit_id, is_active=True
        ).exists()
    ):
        raise InvalidInput(problems=[_("Choose a person of your own unit.")])
    assessment.filler_id = filler_id
    assessment.save(update_fields=["filler"])
    _record(
        "evaluation.self_assessment.appointed",
        user,
        data={"assessment": assessment.pk, "filler": filler_id},
        ip=ip,
    )
    return assessment


@dataclass
class Entry:
    value: Decimal | None
    explanation: str = ""
    correction_reason: str = ""


MAX_VALUE = Decimal("9999999999")


@engine.record_denials
@transaction.atomic
def self_assessment_fill(
    *, user, assessment_id: int, entries: dict[int, Entry], ip: str | None = None
) -> SelfAssessment:
    """Save the unit's values (by indicator id). A prefilled value the unit changes needs
    a reason, which the appraiser sees."""
    assessment = _assessment_to_fill(user, assessment_id)
    values = {v.indicator_id: v for v in assessment.values.select_related("indicator")}
    problems = []
    changed = []
    for indicator_id, entry in entries.items():
        v = values.get(indicator_id)
        if v is None:
            problems.append(_("Unknown indicator."))
            continue
        number = entry.value
        if number is not None and (not number.is_finite() or abs(number) > MAX_VALUE):
            problems.append(_("%(code)s: the value is out of range.") % {"code": v.indicator.code})
            continue
        if number is not None and number < 0:
            problems.append(
                _("%(code)s: the value cannot be negative.") % {"code": v.indicator.code}
            )
            continue
        reason = clean(entry.correction_reason)
        if v.prefill_source and number != v.prefilled and not reason:
            problems.append(
                _("%(code)s: give a reason for changing the value the product prefilled.")
                % {"code": v.indicator.code}
            )
            continue
        v.value = number
        v.explanation = clean(entry.explanation)[:1000]
        v.correction_reason = reason[:1000] if v.prefill_source and number != v.prefilled else ""
        changed.append(v)
    if problems:
        raise InvalidInput(problems=problems)
    Value.objects.bulk_update(changed, ["value", "explanation", "correction_reason"])
    _record(
        "evaluation.self_assessment.filled",
        user,
        data={
            "assessment": assessment.pk,
            "corrected": [v.indicator.code for v in changed if v.correction_reason],
        },
        ip=ip,
    )
    return assessment


@engine.record_denials
@transaction.atomic
def evidence_add(*, user, value_id: int, upload, ip: str | None = None) -> Evidence:
    value = Value.objects.select_related("indicator").filter(pk=value_id).first()
    if value is None:
        raise NotInScope
    _assessment_to_fill(user, value.assessment_id)
    content_type = evidence_files.check(upload)
    if value.evidence.count() >= MAX_EVIDENCE_PER_VALUE:
        raise InvalidInput(
            problems=[_("At most %(n)d files per indicator.") % {"n": MAX_EVIDENCE_PER_VALUE}]
        )
    name = (upload.name or "evidence")[-255:]
    item = Evidence(value=value, name=name, size=upload.size, content_type=content_type)
    item.file.save(name, upload, save=False)
    item.save()
    _record(
        "evaluation.evidence.added",
        user,
        data={"value": value.pk, "name": name, "size": upload.size},
        ip=ip,
    )
    return item


@engine.record_denials
@transaction.atomic
def self_assessment_submit(*, user, assessment_id: int, ip: str | None = None) -> SelfAssessment:
    assessment = _assessment_to_fill(user, assessment_id)
    values = selectors.values_of(assessment)
    problems = [
        _("%(code)s: evidence is required.") % {"code": v.indicator.code}
        for v in values
        if v.indicator.evidence_required and not v.evidence.all()
    ]
    problems += [
        _("%(code)s: give a value.") % {"code": v.indicator.code} for v in values if v.value is None
    ]
    if problems:
        raise InvalidInput(problems=problems)
    day = today()
    assessment.state = S.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.submitted_on = day
    assessment.late = day > assessment.evaluation.self_due_on
    assessment.save(update_fields=["state", "submitted_at", "submitted_on", "late"])
    _record(
        "evaluation.self_assessment.submitted",
        user,
        data={"assessment": assessment.pk, "late": assessment.late},
        ip=ip,
    )
    return assessment


def _centre_assessment(user, assessment_id: int, states) -> SelfAssessment:
    _require(user, selectors.RUN)
    assessment = (
        SelfAssessment.objects.select_related("evaluation", "unit").filter(pk=assessment_id).first()
    )
    if assessment is None:
        raise NotInScope
    if assessment.state not in states:
        raise InvalidInput(problems=[_("This self-assessment cannot be appraised now.")])
    return assessment


@engine.record_denials
@transaction.atomic
def value_appraise(
    *,
    user,
    value_id: int,
    value: Decimal | None = None,
    reason: str = "",
    accept: bool = False,
    ip: str | None = None,
) -> Value:
    """Accept the unit's value, or change it: a change needs a reason. The only way the
    Centre touches a unit's submitted values."""
    item = Value.objects.select_related("indicator").filter(pk=value_id).first()
    if item is None:
        raise NotInScope
    _centre_assessment(user, item.assessment_id, (S.SUBMITTED, S.RESPONDED))
    reason = clean(reason)
    if accept:
        item.appraised_value, item.appraisal_reason = None, ""
    else:
        if value is None or not value.is_finite() or value < 0 or abs(value) > MAX_VALUE:
            raise InvalidInput(problems=[_("Give the appraised value (0 or more).")])
        if not reason:
            raise InvalidInput(problems=[_("Give a reason for changing the unit's value.")])
        item.appraised_value, item.appraisal_reason = value, reason[:1000]
    item.appraised = True
    item.save(update_fields=["appraised", "appraised_value", "appraisal_reason"])
    _record(
        "evaluation.appraisal.changed" if not accept else "evaluation.appraisal.accepted",
        user,
        data={
            "value": item.pk,
            "indicator": item.indicator.code,
            "appraised": None if accept else f"{value:f}",
        },
        comment=reason,
        ip=ip,
    )
    return item


@engine.record_denials
@transaction.atomic
def appraisal_send(*, user, assessment_id: int, ip: str | None = None) -> SelfAssessment:
    """Show the appraisal to the unit: every value accepted or changed."""
    assessment = _centre_assessment(user, assessment_id, (S.SUBMITTED,))
    if assessment.values.filter(appraised=False).exists():
        raise InvalidInput(problems=[_("Accept or change every value first.")])
    assessment.state = S.APPRAISED
    assessment.save(update_fields=["state"])
    _record("evaluation.appraisal.sent", user, data={"assessment": assessment.pk}, ip=ip)
    return assessment


@engine.record_denials
@transaction.atomic
def self_assessment_respond(
    *, user, assessment_id: int, text: str, ip: str | None = None
) -> SelfAssessment:
    """The unit answers the appraisal, once."""
    assessment = selectors.assessment_for(user, assessment_id, fill=True)
    if assessment.state != S.APPRAISED or assessment.evaluation.state != Evaluation.State.OPEN:
        raise InvalidInput(
            problems=[_("There is no appraisal to respond to, or you already responded.")]
        )
    text = clean(text)
    if not text:
        raise InvalidInput(problems=[_("Write your response.")])
    assessment.state = S.RESPONDED
    assessment.response = text[:5000]
    assessment.responded_at = timezone.now()
    assessment.save(update_fields=["state", "response", "responded_at"])
    _record(
        "evaluation.self_assessment.responded",
        user,
        data={"assessment": assessment.pk},
        comment=text[:500],
        ip=ip,
    )
    return assessment


@engine.record_denials
@transaction.atomic
def evaluation_finalise(*, user, evaluation_id: int, ip: str | None = None) -> Evaluation:
    """Close the appraisal and draft the ranking decision. Units still appraising are
    finalised as they stand; units that never submitted are marked late."""
    _require(user, selectors.RUN)
    evaluation = Evaluation.objects.select_for_update().filter(pk=evaluation_id).first()
    if evaluation is None:
        raise NotInScope
    if evaluation.state != Evaluation.State.OPEN:
        raise InvalidInput(problems=[_("This evaluation is already finalised.")])
    if evaluation.assessments.filter(state=S.SUBMITTED, values__appraised=False).exists():
        raise InvalidInput(problems=[_("Some submitted self-assessments are not appraised yet.")])
    evaluation.assessments.filter(state=S.DRAFT).update(late=True)
    evaluation.assessments.update(state=S.FINAL)
    document = engine.document_create(
        user=user,
        kind=KIND,
        title=RANKING_TITLE.format(year=evaluation.year),
        year=evaluation.year,
        ip=ip,
    )
    document.due_on = evaluation.ranking_due_on
    document.save(update_fields=["due_on"])
    evaluation.state = Evaluation.State.FINALISED
    evaluation.finalised_at = timezone.now()
    evaluation.decision = document
    evaluation.save(update_fields=["state", "finalised_at", "decision"])
    _record(
        "evaluation.cycle.finalised", user, data={"year": evaluation.year}, ip=ip, document=document
    )
    return evaluation


@engine.record_denials
@transaction.atomic
def remark_add(*, user, evaluation_id: int, text: str, ip: str | None = None) -> Remark:
    _require(user, selectors.REMARK)
    evaluation = Evaluation.objects.filter(pk=evaluation_id).first()
    if evaluation is None:
        raise NotInScope
    if evaluation.published is not None:
        raise InvalidInput(
            problems=[_("The ranking is published: it can no longer be remarked on.")]
        )
    text = clean(text)
    if not text:
        raise InvalidInput(problems=[_("Write your remark.")])
    remark = Remark.objects.create(evaluation=evaluation, author=user, text=text[:5000])
    _record(
        "evaluation.ranking.remarked",
        user,
        data={"year": evaluation.year},
        comment=text[:500],
        ip=ip,
    )
    return remark


def evaluation_publish(*, evaluation: Evaluation) -> Evaluation:
    """At the decision's issue (inside the engine's transaction): freeze the ranking."""
    evaluation.published = selectors.compute(evaluation)
    evaluation.state = Evaluation.State.PUBLISHED
    evaluation.save(update_fields=["published", "state"])
    _record(
        "evaluation.ranking.published",
        None,
        data={"year": evaluation.year},
        document=evaluation.decision,
    )
    return evaluation


# --- Reminders and escalation -----------------------------------------------------------

REMIND_BEFORE = (7, 3, 1, 0)


def reminders_send(*, on: dt.date) -> int:
    """Mail the heads (and appointed fillers) of the units that have not submitted, 7, 3
    and 1 days before the due date and on the day; from the day after, every day, mail
    them and the Centre (escalation) and mark the units late. Idempotent: each mail's key
    names the day and the unit, so a second run the same day sends nothing new."""
    mails = []
    for evaluation in Evaluation.objects.filter(state=Evaluation.State.OPEN):
        days_left = (evaluation.self_due_on - on).days
        if days_left not in REMIND_BEFORE and days_left >= 0:
            continue
        pending = list(
            evaluation.assessments.filter(state=S.DRAFT).select_related(
                "unit", "unit__head", "filler"
            )
        )
        if not pending:
            continue
        overdue = days_left < 0
        if overdue:
            evaluation.assessments.filter(state=S.DRAFT, late=False).update(late=True)
        centre = (
            list(
                Person.objects.filter(permission_q(selectors.RUN), is_active=True)
                .exclude(email="")
                .distinct()
                .values_list("email", flat=True)
            )
            if overdue
            else []
        )
        due = evaluation.self_due_on.strftime("%d/%m/%Y")
        for a in pending:
            to = sorted({p.email for p in (a.unit.head, a.filler) if p is not None and p.email})
            if overdue:
                subject = _("Overdue: the IT self-assessment of %(unit)s for %(year)s") % {
                    "unit": a.unit.code,
                    "year": evaluation.year,
                }
                body = _(
                    "The self-assessment of %(unit)s was due on %(due)s and is not submitted. "
                    "It is marked late in the ranking."
                ) % {"unit": a.unit.name_vi, "due": due}
                to = sorted(set(to) | set(centre))
                key = f"evaluation:{evaluation.year}:escalation:{on.isoformat()}:unit:{a.unit_id}"
            else:
                subject = _(
                    "Reminder: the IT self-assessment of %(unit)s for %(year)s is due on %(due)s"
                ) % {"unit": a.unit.code, "year": evaluation.year, "due": due}
                body = _(
                    "Please fill in and submit the self-assessment of %(unit)s by %(due)s."
                ) % {"unit": a.unit.name_vi, "due": due}
                key = f"evaluation:{evaluation.year}:reminder:{on.isoformat()}:unit:{a.unit_id}"
            url = settings.SITE_URL.rstrip("/") + reverse("evaluation:assessment", args=[a.pk])
            if to:
                mails.append({"key": key, "to": to, "subject": subject, "body": f"{body}\n\n{url}"})
    if mails:
        queue_mails(mails)
    return len(mails)
