from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from workflows import audit, editing, selectors
from workflows.exceptions import WorkflowError
from workflows.forms import with_extra_row
from workflows.views import _document_list

from . import services
from .forms import ItemFormSet, PositionGroupForm, StandardCreateForm, StandardForm
from .models import Module, PositionGroup, Standard


def standard_list(request):
    links = [{"url": reverse("standards:compliance"), "label": _("Compliance by unit")}]
    if request.user.has_perm(services.GROUPS_PERMISSION):
        links.append({"url": reverse("standards:groups"), "label": _("Position groups")})
    return _document_list(
        request,
        kind_codes=[services.KIND],
        title=_("IT competency standards"),
        create_url=reverse("standards:create"),
        create_label=_("New standard"),
        extra_links=links,
    )


@require_http_methods(["GET", "POST"])
def standard_create(request):
    if not request.user.has_perm(services.GROUPS_PERMISSION):
        raise PermissionDenied
    form = StandardCreateForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                standard = services.standard_create(
                    user=request.user, title=form.cleaned_data["title"], ip=audit.client_ip(request)
                )
            except WorkflowError as exc:
                for problem in exc.problems or [exc.message]:
                    form.add_error(None, problem)
            else:
                messages.success(request, _("Standard created. Fill in its content."))
                return redirect("standards:edit", pk=standard.pk)
        status = 400
    return render(request, "standards/standard_create.html", {"form": form}, status=status)


def _initial(standard, document):
    initial = {
        "version": document.version,
        "title": document.title,
        "scope": standard.sections.get("scope", ""),
        "applies_to": standard.sections.get("applies_to", ""),
        "effective_date": standard.effective_date,
        "months_to_comply": standard.months_to_comply,
    }
    for r in standard.requirements.select_related("group").prefetch_related("advanced_modules"):
        initial[f"level_{r.group.code}"] = r.level
        initial[f"modules_{r.group.code}"] = [m.code for m in r.advanced_modules.all()]
    return initial


@require_http_methods(["GET", "POST"])
def standard_edit(request, pk):
    document = editing.editable_document(
        request,
        pk,
        kinds={services.KIND},
        closed_message=_("This standard can no longer be edited."),
    )
    if editing.is_response(document):
        return document
    standard = Standard.objects.get(document=document)
    groups = list(PositionGroup.objects.filter(active=True))
    kwargs = {"groups": groups, "advanced_modules": Module.objects.filter(level="advanced")}
    status = 200
    if request.method == "POST":
        data = (
            with_extra_row(request.POST, "items", 500)
            if "add_item" in request.POST
            else request.POST
        )
        form = StandardForm(data, **kwargs)
        items = ItemFormSet(
            data, prefix="items", row_ids=standard.items.values_list("pk", flat=True)
        )
        valid = form.is_valid() & items.is_valid()
        if "add_item" not in data and valid:
            d = form.cleaned_data

            def call():
                services.standard_update(
                    user=request.user,
                    document_id=document.pk,
                    version=d["version"],
                    title=d["title"],
                    sections={"scope": d["scope"], "applies_to": d["applies_to"]},
                    effective_date=d["effective_date"],
                    months_to_comply=d["months_to_comply"],
                    requirements=[
                        services.RequirementRow(
                            group=g.code,
                            level=d[f"level_{g.code}"],
                            advanced_modules=d[f"modules_{g.code}"],
                        )
                        for g in groups
                    ],
                    items=editing.rows(items, services.ItemRow),
                    ip=audit.client_ip(request),
                )

            outcome = editing.save(request, form, document, call, "standards:edit")
            if editing.is_response(outcome):
                return outcome
            status = outcome
        elif "add_item" not in data:
            status = 400
    else:
        form = StandardForm(initial=_initial(standard, document), **kwargs)
        items = ItemFormSet(
            initial=[
                {"uid": str(i.pk), "code": i.code, "text": i.text}
                for i in standard.items.order_by("code")
            ],
            prefix="items",
        )
    return render(
        request,
        "standards/standard_edit.html",
        {
            "document": document,
            "form": form,
            "items": items,
            "comments": selectors.comments(document),
            "cancel_url": reverse("workflows:document", args=[document.pk]),
        },
        status=status,
    )


def _require_groups_permission(user):
    if not user.has_perm(services.GROUPS_PERMISSION):
        raise PermissionDenied


def group_list(request):
    _require_groups_permission(request.user)
    return render(
        request,
        "standards/group_list.html",
        {"groups": PositionGroup.objects.all()},
    )


@require_http_methods(["GET", "POST"])
def group_edit(request, code=None):
    _require_groups_permission(request.user)
    group = get_object_or_404(PositionGroup, code=code) if code else None
    initial = (
        {f: getattr(group, f) for f in ("code", "name_vi", "name_en", "sort_order", "active")}
        if group
        else {}
    )
    form = PositionGroupForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            if group and d["code"].upper() != group.code:
                form.add_error("code", _("The code of an existing group cannot change."))
            else:
                try:
                    services.position_group_save(user=request.user, **d)
                except WorkflowError as exc:
                    for problem in exc.problems or [exc.message]:
                        form.add_error(None, problem)
                else:
                    messages.success(request, _("Saved."))
                    return redirect("standards:groups")
        status = 400
    return render(
        request, "standards/group_form.html", {"form": form, "group": group}, status=status
    )
