"""The leave pages: a person's own leave, and a head of unit's (or an administrator's)
view of their staff's. Views translate HTTP to leave.services and leave.selectors."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from workflows import audit
from workflows.exceptions import WorkflowError
from workflows.forms import refuse
from worktime.calendar import today

from . import selectors, services
from .forms import LeaveForm


def _page(request, *, template, leaves, people, substitutes, back, extra=None):
    form = LeaveForm(
        request.POST if request.method == "POST" else None,
        people=people,
        substitutes=substitutes,
        initial={"starts_on": today(), "ends_on": today()},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.leave_record(
                    user=request.user,
                    person_id=data["person"],
                    substitute_id=data["substitute"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    hand_over=data["hand_over"],
                    ip=audit.client_ip(request),
                )
            except WorkflowError as exc:
                status = refuse(form, exc)
            else:
                messages.success(request, _("Leave recorded."))
                return redirect(back)
    return render(
        request,
        template,
        {
            "form": form if people else None,
            "leaves": leaves,
            "today": today(),
            "back": back,
            "manages_unit": selectors.is_administrator(request.user)
            or bool(selectors.headed_unit_ids(request.user)),
            **(extra or {}),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def mine(request):
    user = request.user
    if not selectors.may_see_leave_pages(user):
        raise PermissionDenied
    substitutes = selectors.eligible_substitutes(user)
    return _page(
        request,
        template="leave/mine.html",
        leaves=selectors.my_leaves(user),
        people=[user] if substitutes else [],
        substitutes=substitutes,
        back="leave:mine",
        extra={"holds_tasks": selectors.may_record_own(user)},
    )


@require_http_methods(["GET", "POST"])
def unit(request):
    user = request.user
    if not (selectors.is_administrator(user) or selectors.headed_unit_ids(user)):
        raise PermissionDenied
    people = selectors.manageable_people(user)
    return _page(
        request,
        template="leave/unit.html",
        leaves=selectors.unit_leaves(user),
        people=list(selectors.holding_tasks(people, signing=True)),
        substitutes=list(selectors.holding_tasks(people)),
        back="leave:unit",
    )


@require_POST
def cancel(request, pk):
    back = request.POST.get("back")
    back = back if back in ("leave:mine", "leave:unit") else "leave:mine"
    try:
        services.leave_cancel(user=request.user, leave_id=pk, ip=audit.client_ip(request))
    except WorkflowError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Leave cancelled."))
    return redirect(back)
