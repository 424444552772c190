from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from planning.kinds import published_guidance
from workflows import audit, permissions, selectors
from workflows.exceptions import NotInScope, WorkflowError
from workflows.forms import with_extra_row
from workflows.views import _document_list

from . import services
from .forms import EstimateCreateForm, EstimateForm, LineFormSet
from .models import Estimate

FIELDS = ("content", "unit", "quantity", "unit_price", "funding_source", "expense_category", "note")


def estimate_list(request):
    return _document_list(
        request,
        kind_codes=[services.KIND],
        title=_("IT budget estimates"),
        create_url=reverse("budgeting:create"),
        create_label=_("New estimate"),
    )


@require_http_methods(["GET", "POST"])
def estimate_create(request):
    if not request.user.has_perm("organisation.draft_it_plans"):
        raise PermissionDenied
    form = EstimateCreateForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                estimate = services.estimate_create(
                    user=request.user,
                    year=form.cleaned_data["year"],
                    title=form.cleaned_data["title"],
                    ip=audit.client_ip(request),
                )
            except WorkflowError as exc:
                for problem in exc.problems or [exc.message]:
                    form.add_error(None, problem)
            else:
                messages.success(request, _("Estimate created. Add its lines, then submit it."))
                return redirect("budgeting:edit", pk=estimate.pk)
        status = 400
    return render(request, "budgeting/estimate_create.html", {"form": form}, status=status)


def _initial_lines(estimate):
    return [
        {
            "uid": str(line.uid),
            **{f: getattr(line, f) for f in FIELDS},
            "plan_task_uid": str(line.plan_task.uid) if line.plan_task_id else "",
        }
        for line in estimate.lines.select_related("plan_task").order_by("position", "pk")
    ]


@require_http_methods(["GET", "POST"])
def estimate_edit(request, pk):
    document = selectors.document_for(request.user, pk)
    if document.kind != services.KIND:
        raise NotInScope
    if not permissions.can_edit(request.user, document):
        if document.is_editable:
            raise PermissionDenied
        messages.info(request, _("This estimate can no longer be edited."))
        return redirect("workflows:document", pk=document.pk)
    estimate = Estimate.objects.select_related("annual_plan__document").get(document=document)
    tasks = [(str(t.uid), t.name) for t in estimate.annual_plan.tasks.order_by("position", "pk")]
    formset_kwargs = {"form_kwargs": {"plan_tasks": tasks}, "prefix": "lines"}
    status = 200
    if request.method == "POST":
        data = with_extra_row(request.POST, "lines") if "add_line" in request.POST else request.POST
        form = EstimateForm(data)
        lines = LineFormSet(data, **formset_kwargs)
        valid = form.is_valid() & lines.is_valid()
        if "add_line" not in data and valid:
            rows = [
                services.LineRow(**{k: v for k, v in f.cleaned_data.items() if k != "DELETE"})
                for f in lines.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            try:
                services.estimate_update(
                    user=request.user,
                    document_id=document.pk,
                    version=form.cleaned_data["version"],
                    title=form.cleaned_data["title"],
                    justification=form.cleaned_data["justification"],
                    lines=rows,
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
                return redirect("budgeting:edit", pk=document.pk)
        elif "add_line" not in data:
            status = 400
    else:
        form = EstimateForm(
            initial={
                "version": document.version,
                "title": document.title,
                "justification": estimate.justification,
            }
        )
        lines = LineFormSet(initial=_initial_lines(estimate), **formset_kwargs)
    return render(
        request,
        "budgeting/estimate_edit.html",
        {
            "document": document,
            "estimate": estimate,
            "form": form,
            "lines": lines,
            "guidance": published_guidance(document.year),
            "comments": selectors.comments(document),
            "cancel_url": reverse("workflows:document", args=[document.pk]),
        },
        status=status,
    )
