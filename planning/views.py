from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from workflows import audit, editing, selectors
from workflows.exceptions import InvalidInput, WorkflowError
from workflows.forms import refuse, with_extra_row
from workflows.views import _document_list

from . import services
from .forms import (
    GuidanceForm,
    ObjectiveFormSet,
    PlanContentForm,
    PlanCreateForm,
    TaskFormSet,
)
from .models import SECTION_KEYS, Guidance, Kind, Plan


def plan_list(request):
    return _document_list(
        request,
        kind_codes=list(Kind.values),
        title=_("IT application plans"),
        create_url=reverse("planning:create"),
        create_label=_("New plan"),
        extra_links=[{"url": reverse("planning:guidance_list"), "label": _("Planning guidance")}],
    )


def _may_draft(user) -> bool:
    return user.has_perm("organisation.draft_it_plans")


@require_http_methods(["GET", "POST"])
def plan_create(request):
    if not _may_draft(request.user):
        raise PermissionDenied
    form = PlanCreateForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                plan = services.plan_create(
                    user=request.user,
                    kind=form.cleaned_data["kind"],
                    title=form.cleaned_data["title"],
                    period_start=form.cleaned_data["year"],
                    ip=audit.client_ip(request),
                )
            except InvalidInput as exc:
                for problem in exc.problems:
                    form.add_error(None, problem)
            else:
                messages.success(request, _("Plan created. Fill in its content, then submit it."))
                return redirect("planning:edit", pk=plan.pk)
        status = 400
    return render(request, "planning/plan_create.html", {"form": form}, status=status)


def _initial(plan: Plan):
    objectives = [
        {
            "uid": str(o.uid),
            "indicator": o.indicator,
            "baseline": o.baseline,
            "target_value": o.target_value,
            "target_year": o.target_year,
        }
        for o in plan.objectives.all()
    ]
    tasks = [
        {
            "uid": str(t.uid),
            "name": t.name,
            "category": t.category,
            "lead_unit": t.lead_unit,
            "coordinating_units": t.coordinating_units,
            "start_year": t.start_year,
            "end_year": t.end_year,
            "deadline": t.deadline,
            "estimated_cost": t.estimated_cost,
            "funding_source": t.funding_source,
            "parent_task_uid": str(t.parent_task.uid) if t.parent_task_id else "",
        }
        for t in plan.tasks.select_related("parent_task")
    ]
    return objectives, tasks


@require_http_methods(["GET", "POST"])
def plan_edit(request, pk):
    document = editing.editable_document(
        request, pk, kinds=set(Kind.values), closed_message=_("This plan can no longer be edited.")
    )
    if editing.is_response(document):
        return document
    plan = Plan.objects.select_related("parent__document").get(document=document)
    parent_tasks = []
    if plan.parent_id:
        parent_tasks = [(str(t.uid), t.name) for t in plan.parent.tasks.all()]
    task_kwargs = {"form_kwargs": {"parent_tasks": parent_tasks}, "prefix": "tasks"}
    status = 200
    if request.method == "POST":
        data = request.POST
        if "add_objective" in data:
            data = with_extra_row(data, "objectives")
        if "add_task" in data:
            data = with_extra_row(data, "tasks")
        form = PlanContentForm(data)
        objectives = ObjectiveFormSet(
            data, prefix="objectives", row_ids=plan.objectives.values_list("uid", flat=True)
        )
        tasks = TaskFormSet(data, row_ids=plan.tasks.values_list("uid", flat=True), **task_kwargs)
        adding = "add_objective" in data or "add_task" in data
        valid = form.is_valid() & objectives.is_valid() & tasks.is_valid()
        if not adding and valid:

            def call():
                services.plan_update(
                    user=request.user,
                    document_id=document.pk,
                    version=form.cleaned_data["version"],
                    title=form.cleaned_data["title"],
                    sections=form.sections(),
                    objectives=editing.rows(objectives, services.ObjectiveRow),
                    tasks=editing.rows(tasks, services.TaskRow),
                    ip=audit.client_ip(request),
                )

            outcome = editing.save(request, form, document, call, "planning:edit")
            if editing.is_response(outcome):
                return outcome
            status = outcome
        elif not adding:
            status = 400
    else:
        objectives_initial, tasks_initial = _initial(plan)
        initial = {"version": document.version, "title": document.title}
        initial |= {f"section_{k}": v for k, v in plan.sections.items()}
        form = PlanContentForm(initial=initial)
        objectives = ObjectiveFormSet(initial=objectives_initial, prefix="objectives")
        tasks = TaskFormSet(initial=tasks_initial, **task_kwargs)
    comments = list(selectors.comments(document))
    by_anchor: dict[str, list] = {}
    for c in comments:
        by_anchor.setdefault(c.anchor, []).append(c)
    section_rows = [
        {"field": form[f"section_{key}"], "comments": by_anchor.get(f"section:{key}", [])}
        for key in SECTION_KEYS
    ]
    return render(
        request,
        "planning/plan_edit.html",
        {
            "document": document,
            "plan": plan,
            "form": form,
            "objectives": objectives,
            "tasks": tasks,
            "comments": comments,
            "comments_by_anchor": by_anchor,
            "section_rows": section_rows,
            "cancel_url": reverse("workflows:document", args=[document.pk]),
        },
        status=status,
    )


# --- Planning guidance ------------------------------------------------------------------


def _may_guide(user) -> bool:
    return user.has_perm(services.GUIDANCE_PERMISSION)


def _may_read_guidance(user) -> bool:
    return _may_guide(user) or any(
        user.has_perm(p)
        for p in (
            "organisation.draft_it_plans",
            "organisation.review_it_plans",
            "organisation.sign_documents",
            "organisation.view_audit_trail",
        )
    )


def guidance_list(request):
    if not _may_read_guidance(request.user):
        raise PermissionDenied
    items = Guidance.objects.select_related("published_by")
    if not _may_guide(request.user):
        items = items.filter(published_at__isnull=False)
    return render(
        request,
        "planning/guidance_list.html",
        {"items": items, "may_guide": _may_guide(request.user)},
    )


def _guidance_or_404(user, year) -> Guidance:
    guidance = Guidance.objects.select_related("published_by", "created_by").filter(year=year)
    guidance = guidance.first()
    if guidance is None or not (guidance.is_published or _may_guide(user)):
        raise Http404
    return guidance


def guidance_detail(request, year):
    if not _may_read_guidance(request.user):
        raise PermissionDenied
    guidance = _guidance_or_404(request.user, year)
    return render(
        request,
        "planning/guidance_detail.html",
        {"guidance": guidance, "may_guide": _may_guide(request.user)},
    )


@require_http_methods(["GET", "POST"])
def guidance_edit(request, year=None):
    if not _may_guide(request.user):
        raise PermissionDenied
    guidance = _guidance_or_404(request.user, year) if year else None
    if guidance and guidance.is_published:
        messages.info(request, _("Published guidance cannot be changed."))
        return redirect("planning:guidance", year=guidance.year)
    initial = {}
    if guidance:
        initial = {
            f: getattr(guidance, f)
            for f in (
                "year",
                "deadline",
                "total_ceiling",
                "investment_ceiling",
                "recurrent_ceiling",
                "instructions",
            )
        }
    form = GuidanceForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            if guidance and data["year"] != guidance.year:
                form.add_error("year", _("The year of existing guidance cannot change."))
            else:
                try:
                    saved = services.guidance_save(
                        user=request.user, ip=audit.client_ip(request), **data
                    )
                except WorkflowError as exc:
                    status = refuse(form, exc)
                else:
                    messages.success(request, _("Saved."))
                    return redirect("planning:guidance", year=saved.year)
        if status == 200:
            status = 400
    return render(
        request, "planning/guidance_form.html", {"form": form, "guidance": guidance}, status=status
    )


@require_POST
def guidance_publish(request, year):
    if not _may_guide(request.user):
        raise PermissionDenied
    try:
        services.guidance_publish(user=request.user, year=year, ip=audit.client_ip(request))
    except WorkflowError as exc:
        messages.error(request, exc.message)
        guidance = _guidance_or_404(request.user, year)
        return render(
            request,
            "planning/guidance_detail.html",
            {"guidance": guidance, "may_guide": True},
            status=exc.status,
        )
    messages.success(request, _("Guidance published. It can no longer be changed."))
    return redirect("planning:guidance", year=year)
