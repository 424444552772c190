from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from workflows import audit, permissions, selectors
from workflows.exceptions import InvalidInput, WorkflowError
from workflows.views import _document_list

from . import services
from .forms import ObjectiveFormSet, PlanContentForm, PlanCreateForm, TaskFormSet
from .models import SECTION_KEYS, Kind, Plan


def plan_list(request):
    return _document_list(
        request,
        kind_codes=list(Kind.values),
        title=_("IT application plans"),
        create_url=reverse("planning:create"),
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


def _with_extra_row(data, prefix: str):
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    try:
        data[key] = str(min(int(data.get(key, 0)) + 1, 500))
    except ValueError:
        data[key] = "1"
    return data


@require_http_methods(["GET", "POST"])
def plan_edit(request, pk):
    document = selectors.document_for(request.user, pk)
    if document.kind not in Kind.values:
        raise selectors.NotInScope
    if not permissions.can_edit(request.user, document):
        if document.is_editable:
            raise PermissionDenied
        messages.info(request, _("This plan can no longer be edited."))
        return redirect("workflows:document", pk=document.pk)
    plan = Plan.objects.select_related("parent__document").get(document=document)
    parent_tasks = []
    if plan.parent_id:
        parent_tasks = [(str(t.uid), t.name) for t in plan.parent.tasks.all()]
    task_kwargs = {"form_kwargs": {"parent_tasks": parent_tasks}, "prefix": "tasks"}
    status = 200
    if request.method == "POST":
        data = request.POST
        if "add_objective" in data:
            data = _with_extra_row(data, "objectives")
        if "add_task" in data:
            data = _with_extra_row(data, "tasks")
        form = PlanContentForm(data)
        objectives = ObjectiveFormSet(data, prefix="objectives")
        tasks = TaskFormSet(data, **task_kwargs)
        adding = "add_objective" in data or "add_task" in data
        valid = form.is_valid() & objectives.is_valid() & tasks.is_valid()
        if not adding and valid:
            try:
                services.plan_update(
                    user=request.user,
                    document_id=document.pk,
                    version=form.cleaned_data["version"],
                    title=form.cleaned_data["title"],
                    sections=form.sections(),
                    objectives=[
                        services.ObjectiveRow(
                            **{k: v for k, v in f.cleaned_data.items() if k != "DELETE"}
                        )
                        for f in objectives.forms
                        if f.cleaned_data and not f.cleaned_data.get("DELETE")
                    ],
                    tasks=[
                        services.TaskRow(
                            **{k: v for k, v in f.cleaned_data.items() if k != "DELETE"}
                        )
                        for f in tasks.forms
                        if f.cleaned_data and not f.cleaned_data.get("DELETE")
                    ],
                    ip=audit.client_ip(request),
                )
            except WorkflowError as exc:
                for problem in exc.problems or [exc.message]:
                    form.add_error(None, problem)
                status = exc.status
            else:
                messages.success(request, _("Saved."))
                if "save_and_view" in data:
                    return redirect("workflows:document", pk=document.pk)
                return redirect("planning:edit", pk=document.pk)
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
