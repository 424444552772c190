from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from workflows import audit, editing, selectors
from workflows.exceptions import WorkflowError
from workflows.forms import refuse, with_extra_row
from workflows.views import _document_list

from . import services
from .forms import (
    CriteriaSetCreateForm,
    CriteriaSetForm,
    GroupFormSet,
    IndicatorFormSet,
    tiers_text,
)
from .kinds import KIND
from .models import CriteriaSet, Indicator

DRAFT_PERMISSION = "organisation.draft_it_plans"


def criteria_list(request):
    return _document_list(
        request,
        kind_codes=[KIND],
        title=_("IT-application ranking criteria"),
        create_url=reverse("reporting:create") if request.user.has_perm(DRAFT_PERMISSION) else None,
        create_label=_("New criteria set"),
    )


@require_http_methods(["GET", "POST"])
def criteria_create(request):
    if not request.user.has_perm(DRAFT_PERMISSION):
        raise PermissionDenied
    form = CriteriaSetCreateForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                criteria = services.criteria_set_create(
                    user=request.user,
                    year=form.cleaned_data["year"],
                    title=form.cleaned_data["title"],
                    ip=audit.client_ip(request),
                )
            except WorkflowError as exc:
                refuse(form, exc)
            else:
                messages.success(request, _("Criteria set created. Fill in its content."))
                return redirect("reporting:edit", pk=criteria.pk)
        status = 400
    return render(request, "reporting/criteria_create.html", {"form": form}, status=status)


def _indicator_initial(i: Indicator) -> dict:
    return {
        "uid": str(i.pk),
        "group": i.group.code,
        "code": i.code,
        "name": i.name,
        "unit_of_measure": i.unit_of_measure,
        "max_points": i.max_points,
        "method": i.method,
        "points": i.params.get("points"),
        "per_item": i.params.get("per_item"),
        "cap": i.params.get("cap"),
        "tiers": tiers_text(i.params),
        "evidence_required": i.evidence_required,
        "applies_to": i.applies_to,
    }


@require_http_methods(["GET", "POST"])
def criteria_edit(request, pk):
    document = editing.editable_document(
        request,
        pk,
        kinds={KIND},
        closed_message=_("This criteria set can no longer be edited."),
    )
    if editing.is_response(document):
        return document
    criteria = CriteriaSet.objects.get(document=document)
    group_ids = criteria.groups.values_list("pk", flat=True)
    indicator_ids = Indicator.objects.filter(group__criteria_set=criteria).values_list(
        "pk", flat=True
    )
    status = 200
    if request.method == "POST":
        data = request.POST
        if "add_group" in data:
            data = with_extra_row(data, "groups", 20)
        if "add_indicator" in data:
            data = with_extra_row(data, "indicators", 200)
        adding = "add_group" in data or "add_indicator" in data
        form = CriteriaSetForm(data)
        groups = GroupFormSet(data, prefix="groups", row_ids=group_ids)
        indicators = IndicatorFormSet(data, prefix="indicators", row_ids=indicator_ids)
        valid = form.is_valid() & groups.is_valid() & indicators.is_valid()
        if not adding and valid:
            d = form.cleaned_data

            def call():
                services.criteria_set_update(
                    user=request.user,
                    document_id=document.pk,
                    version=d["version"],
                    title=d["title"],
                    groups=editing.rows(groups, services.GroupRow),
                    indicators=editing.rows(indicators, services.IndicatorRow),
                    bands=form.bands(),
                    ip=audit.client_ip(request),
                )

            outcome = editing.save(request, form, document, call, "reporting:edit")
            if editing.is_response(outcome):
                return outcome
            status = outcome
        elif not adding:
            status = 400
    else:
        initial = {"version": document.version, "title": document.title}
        initial |= {f"band_{b['grade']}": b["from"] for b in criteria.grade_bands}
        form = CriteriaSetForm(initial=initial)
        groups = GroupFormSet(
            initial=[
                {"uid": str(g.pk), "code": g.code, "name": g.name} for g in criteria.groups.all()
            ],
            prefix="groups",
        )
        indicators = IndicatorFormSet(
            initial=[
                _indicator_initial(i)
                for i in Indicator.objects.filter(group__criteria_set=criteria)
                .select_related("group")
                .order_by("group__position", "position")
            ],
            prefix="indicators",
        )
    return render(
        request,
        "reporting/criteria_edit.html",
        {
            "document": document,
            "form": form,
            "groups": groups,
            "indicators": indicators,
            "comments": selectors.comments(document),
            "cancel_url": reverse("workflows:document", args=[document.pk]),
        },
        status=status,
    )
