"""The evaluation's pages: thin over selectors (who sees what, the ranking) and services
(every write, which checks permission again). Each page runs a fixed number of queries
whatever the number of units and indicators (tests/evaluation/test_pages.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from reporting import scoring
from reporting.kinds import KIND as CRITERIA_KIND
from reporting.models import CriteriaSet
from workflows import audit
from workflows.exceptions import WorkflowError
from workflows.forms import Form, refuse
from workflows.models import State

from . import charts, selectors, services
from .forms import AppraiseForm, EvidenceForm, FillForm, OpenForm, TextForm
from .models import Evaluation, Evidence, SelfAssessment


def _blank() -> Form:
    """A form with no fields, to carry a refusal's messages to the page."""
    form = Form({})
    form.is_valid()
    return form


def _evaluation(year: int) -> Evaluation:
    evaluation = Evaluation.objects.select_related("criteria", "decision").filter(year=year).first()
    if evaluation is None:
        raise Http404
    return evaluation


def _own_assessment(user, evaluation: Evaluation) -> SelfAssessment | None:
    return (
        SelfAssessment.objects.filter(evaluation=evaluation, unit_id=user.unit_id).first()
        if user.unit_id
        else None
    )


@require_http_methods(["GET", "POST"])
def index(request):
    """The Centre opens a year here; everyone else goes to the latest year."""
    user = request.user
    evaluations = list(Evaluation.objects.only("year", "state"))
    centre = selectors.is_centre(user)
    if not centre:
        if not evaluations:
            return render(request, "evaluation/index.html", {"evaluations": []})
        return redirect("evaluation:cycle", year=evaluations[0].year)
    opened = {e.year for e in evaluations}
    choices = [
        (c.document_id, c.document.title)
        for c in CriteriaSet.objects.select_related("document").filter(
            document__kind=CRITERIA_KIND, document__state=State.ISSUED
        )
        if c.document.year not in opened
    ]
    form = OpenForm(request.POST or None, criteria_choices=choices)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                evaluation = services.evaluation_open(
                    user=user,
                    criteria_document_id=form.cleaned_data["criteria"],
                    self_due_on=form.cleaned_data["self_due_on"],
                    ranking_due_on=form.cleaned_data["ranking_due_on"],
                    ip=audit.client_ip(request),
                )
            except WorkflowError as exc:
                status = refuse(form, exc)
            else:
                messages.success(request, _("The evaluation is open."))
                return redirect("evaluation:cycle", year=evaluation.year)
        else:
            status = 400
    return render(
        request,
        "evaluation/index.html",
        {"evaluations": evaluations, "form": form if choices or form.errors else None},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def cycle(request, year: int):
    """The Centre's view of the cycle: who submitted, who is late, what is left to
    appraise. A unit's people are taken to their own self-assessment."""
    evaluation = _evaluation(year)
    user = request.user
    if not (selectors.is_centre(user) or selectors.is_council(user)):
        own = _own_assessment(user, evaluation)
        if own is None:
            raise Http404
        return redirect("evaluation:assessment", pk=own.pk)
    status = 200
    form = None
    if request.method == "POST":
        if not selectors.is_centre(user):
            raise PermissionDenied
        form = _blank()
        try:
            services.evaluation_finalise(
                user=user, evaluation_id=evaluation.pk, ip=audit.client_ip(request)
            )
        except WorkflowError as exc:
            status = refuse(form, exc)
        else:
            messages.success(request, _("Finalised: the ranking decision is drafted."))
            return redirect("evaluation:cycle", year=year)
    rows = selectors.progress(evaluation)
    return render(
        request,
        "evaluation/cycle.html",
        {
            "evaluation": evaluation,
            "rows": rows,
            "late": [r for r in rows if r.late],
            "can_finalise": selectors.is_centre(user) and evaluation.state == Evaluation.State.OPEN,
            "form": form,
        },
        status=status,
    )


CHARTS = ("totals", "distribution", "trend")


@require_http_methods(["GET", "POST"])
def ranking(request, year: int):
    """The Council's view: the ranking by grade, the distribution of grades, the trend
    over the years, and the remarks on the draft."""
    evaluation = _evaluation(year)
    user = request.user
    if not (selectors.is_council(user) or selectors.is_centre(user)):
        raise Http404
    data = selectors.compute(evaluation)
    distribution = selectors.grade_distribution(data)
    years = selectors.trend()
    codes = [r["code"] for r in data["units"]]
    chart = request.GET.get("chart")
    if chart:
        if chart not in CHARTS:
            raise Http404
        svg = {
            "totals": lambda: charts.totals(data),
            "distribution": lambda: charts.distribution(distribution),
            "trend": lambda: charts.trend(years, codes),
        }[chart]()
        response = HttpResponse(svg.content, content_type="image/svg+xml; charset=utf-8")
        response["Content-Security-Policy"] = svg.content_security_policy
        return response
    can_remark = user.has_perm(selectors.REMARK) and evaluation.published is None
    form = TextForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not user.has_perm(selectors.REMARK):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.remark_add(
                    user=user,
                    evaluation_id=evaluation.pk,
                    text=form.cleaned_data["text"],
                    ip=audit.client_ip(request),
                )
            except WorkflowError as exc:
                status = refuse(form, exc)
            else:
                messages.success(request, _("Your remark is recorded."))
                return redirect("evaluation:ranking", year=year)
        else:
            status = 400
    by_grade = [
        (label, [r for r in data["units"] if r["grade"] == code])
        for code, label, _n in distribution
    ]
    return render(
        request,
        "evaluation/ranking.html",
        {
            "evaluation": evaluation,
            "ranking": data,
            "by_grade": by_grade,
            "distribution": distribution,
            "years": [(y, [t.get(c, "") for c in codes]) for y, t in years],
            "codes": codes,
            "remarks": list(evaluation.remarks.select_related("author")),
            "form": form if can_remark else None,
        },
        status=status,
    )


def _act(request, assessment: SelfAssessment, values):
    """Run the posted action; a response, or the form with its refusal and a status."""
    user, ip = request.user, audit.client_ip(request)
    action = request.POST.get("action")
    if action == "fill":
        form = FillForm(request.POST, values=values)
        if not form.is_valid():
            return form, 400
        entries = {
            v.indicator_id: services.Entry(
                value=form.cleaned_data[f"value_{v.pk}"],
                explanation=form.cleaned_data[f"explanation_{v.pk}"],
                correction_reason=form.cleaned_data[f"reason_{v.pk}"],
            )
            for v in values
        }
        call = lambda: services.self_assessment_fill(  # noqa: E731
            user=user, assessment_id=assessment.pk, entries=entries, ip=ip
        )
    elif action == "evidence":
        form = EvidenceForm(request.POST, request.FILES, values=values)
        if not form.is_valid():
            return form, 400
        call = lambda: services.evidence_add(  # noqa: E731
            user=user, value_id=form.cleaned_data["value"], upload=form.cleaned_data["file"], ip=ip
        )
    elif action == "submit":
        form = _blank()
        call = lambda: services.self_assessment_submit(  # noqa: E731
            user=user, assessment_id=assessment.pk, ip=ip
        )
    elif action == "respond":
        form = TextForm(request.POST)
        if not form.is_valid():
            return form, 400
        call = lambda: services.self_assessment_respond(  # noqa: E731
            user=user, assessment_id=assessment.pk, text=form.cleaned_data["text"], ip=ip
        )
    elif action == "appraise":
        form = AppraiseForm(request.POST, values=values)
        if not form.is_valid():
            return form, 400
        d = form.cleaned_data
        call = lambda: services.value_appraise(  # noqa: E731
            user=user,
            value_id=d["value_id"],
            value=d["value"],
            reason=d["reason"],
            accept=d["accept"],
            ip=ip,
        )
    elif action == "send":
        form = _blank()
        call = lambda: services.appraisal_send(  # noqa: E731
            user=user, assessment_id=assessment.pk, ip=ip
        )
    else:
        form = _blank()
        form.add_error(None, _("Unknown action."))
        return form, 400
    try:
        call()
    except WorkflowError as exc:
        return form, refuse(form, exc)
    messages.success(request, _("Saved."))
    return redirect("evaluation:assessment", pk=assessment.pk), 302


@require_http_methods(["GET", "POST"])
def assessment(request, pk: int):
    """A unit's self-assessment: the unit fills it in while open and sees its standing,
    what pulled it down and its evidence; the Centre appraises it; the Council reads
    its breakdown by group and indicator."""
    user = request.user
    item = selectors.assessment_for(user, pk)
    values = selectors.values_of(item)
    errors_form, status = None, 200
    if request.method == "POST":
        outcome, status = _act(request, item, values)
        if status == 302:
            return outcome
        errors_form = outcome
    can_fill = selectors.can_fill(user, item)
    is_open = item.evaluation.state == Evaluation.State.OPEN
    editable = can_fill and is_open and item.state == SelfAssessment.State.DRAFT
    data = selectors.compute(item.evaluation)
    row = selectors.row_of(data, item.unit_id)
    names = {i["code"]: i["name"] for i in data["indicators"]}
    pulled_down = sorted(
        (c for c in (row["indicators"] if row else []) if c["lost"] != "0.00"),
        key=lambda c: -float(c["lost"]),
    )[:5]
    return render(
        request,
        "evaluation/assessment.html",
        {
            "item": item,
            "values": values,
            "row": row,
            "names": names,
            "groups": {g["code"]: g["name"] for g in data["groups"]},
            "pulled_down": pulled_down,
            "grade_label": scoring.GRADES.get(row["grade"], "") if row else "",
            "fill_form": FillForm(values=values) if editable else None,
            "evidence_form": EvidenceForm(values=values) if editable else None,
            "can_submit": editable,
            "can_respond": can_fill and is_open and item.state == SelfAssessment.State.APPRAISED,
            "can_appraise": selectors.is_centre(user)
            and is_open
            and item.state in (SelfAssessment.State.SUBMITTED, SelfAssessment.State.RESPONDED),
            "can_send": selectors.is_centre(user)
            and is_open
            and item.state == SelfAssessment.State.SUBMITTED,
            "errors_form": errors_form,
        },
        status=status,
    )


@require_GET
def evidence_file(request, pk: int):
    item = Evidence.objects.select_related("value").filter(pk=pk).first()
    if item is None:
        raise Http404
    selectors.assessment_for(request.user, item.value.assessment_id)
    return FileResponse(
        item.file.open("rb"), as_attachment=True, filename=item.name, content_type=item.content_type
    )
