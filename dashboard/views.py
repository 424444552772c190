"""Where documents wait: the page (tables and charts) and its charts as SVG."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from worktime.calendar import today

from . import charts, selectors
from .forms import DashboardFilterForm
from .permissions import can_view_dashboard


def _filters(request) -> tuple[DashboardFilterForm, dict | None]:
    """The form and the filters it gives; None when the input is invalid."""
    form = DashboardFilterForm(request.GET or None)
    if not form.is_bound:
        return form, {"year": None, "kind": None}
    if not form.is_valid():
        return form, None
    return form, {"year": form.cleaned_data["year"], "kind": form.cleaned_data["kind"] or None}


def _allowed(request) -> None:
    if not can_view_dashboard(request.user):
        raise PermissionDenied


@require_GET
def index(request):
    _allowed(request)
    form, filters = _filters(request)
    now = timezone.now()
    waiting = selectors.waiting_by_step_and_unit(**filters, now=now) if filters else []
    cycles = selectors.cycle_times(**filters) if filters else []
    query = request.GET.urlencode() if filters else ""
    return render(
        request,
        "dashboard/index.html",
        {
            "form": form,
            "valid": filters is not None,
            "waiting": waiting,
            "cycles": cycles,
            "today": today(now),
            "query": query,
        },
        status=200 if filters is not None else 400,
    )


def _chart(name: str, filters: dict) -> charts.Svg:
    if name == "waiting":
        rows = selectors.waiting_by_step_and_unit(**filters)
        return charts.bar_chart(
            _("Waiting time by step and unit (days)"),
            [(row.label, row.waiting.median, row.waiting.p90) for row in rows],
        )
    rows = selectors.cycle_times(**filters)
    return charts.bar_chart(
        _("Cycle time from first submission to issue (days)"),
        [(row.label, row.cycle.median, row.cycle.p90) for row in rows],
    )


@require_GET
def chart(request, name: str):
    """One chart as its own SVG response, with a CSP that allows only its own style."""
    _allowed(request)
    if name not in ("waiting", "cycle"):
        raise Http404
    _form, filters = _filters(request)
    if filters is None:
        return HttpResponseBadRequest(_("Invalid filter."), content_type="text/plain")
    svg = _chart(name, filters)
    response = HttpResponse(svg.content, content_type="image/svg+xml; charset=utf-8")
    response["Content-Security-Policy"] = svg.content_security_policy
    return response
