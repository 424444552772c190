"""The periodic reports: the list, a report's page (charts beside the same figures as
tables, comparisons, the Centre's commentary and sending), its charts and exports."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dashboard import charts
from workflows import exports as workbook_exports
from workflows.exceptions import WorkflowError
from workflows.forms import refuse

from . import exports, selectors, services
from .forms import CommentaryForm
from .models import Report
from .permissions import check_visible, scope_for

CHARTS = ("documents", "use", "competency")


def _report(request, pk: int):
    scope = scope_for(request.user)
    report = get_object_or_404(Report, pk=pk)
    check_visible(scope, report)
    return scope, report


@require_GET
def report_list(request):
    scope = scope_for(request.user)
    return render(
        request,
        "reports/list.html",
        {"reports": selectors.visible_reports(scope), "reviewer": scope.reviewer},
    )


@require_http_methods(["GET", "POST"])
def detail(request, pk: int):
    """The report; a POST saves the Centre's commentary (refused once the report is sent)."""
    scope, report = _report(request, pk)
    status = 200
    form = CommentaryForm(initial={"commentary": report.commentary})
    if request.method == "POST":
        if not scope.reviewer:
            raise PermissionDenied
        form = CommentaryForm(request.POST)
        if form.is_valid():
            try:
                services.report_comment(
                    report=report, actor=request.user, commentary=form.cleaned_data["commentary"]
                )
            except WorkflowError as exc:
                status = refuse(form, exc)
            else:
                messages.success(request, _("The commentary was saved."))
                return redirect("reports:detail", pk=report.pk)
        else:
            status = 400
    return render(
        request,
        "reports/detail.html",
        {
            "report": report,
            "form": form,
            "reviewer": scope.reviewer,
            "charts": CHARTS,
            **selectors.view(report, scope),
        },
        status=status,
    )


@require_POST
def send(request, pk: int):
    scope, report = _report(request, pk)
    if not scope.reviewer:
        raise PermissionDenied
    try:
        services.report_send(report=report, actor=request.user)
    except WorkflowError as exc:
        messages.error(request, exc.message)
        return redirect("reports:detail", pk=report.pk)
    messages.success(request, _("The report was sent to the leaders, the units and the Council."))
    return redirect("reports:detail", pk=report.pk)


def _chart(name: str, data: dict) -> charts.Svg:
    units = data["units"]
    labels = [u["name"] for u in units]
    if name == "documents":
        return charts.bars(
            _("Documents by unit"),
            labels,
            [
                (_("Issued in the period"), [u["issued"] for u in units]),
                (_("Overdue at the period's end"), [u["overdue"] for u in units]),
            ],
        )
    if name == "use":
        return charts.bars(
            _("Use of the product by unit"),
            labels,
            [
                (_("Sign-ins"), [u["sign_ins"] for u in units]),
                (_("Actions"), [u["actions"] for u in units]),
            ],
        )
    return charts.bars(
        _("Share of staff meeting the competency standard (%)"),
        labels,
        [(_("Share (%)"), [u["share"] for u in units])],
        x_title="%",
    )


@require_GET
def chart(request, pk: int, name: str):
    """One chart as its own SVG response, with a CSP that allows only its own style."""
    scope, report = _report(request, pk)
    if name not in CHARTS:
        raise Http404
    svg = _chart(name, selectors.view(report, scope))
    response = HttpResponse(svg.content, content_type="image/svg+xml; charset=utf-8")
    response["Content-Security-Policy"] = svg.content_security_policy
    return response


@require_GET
def xlsx(request, pk: int):
    scope, report = _report(request, pk)
    workbook = exports.xlsx(report, selectors.view(report, scope))
    return workbook_exports.xlsx_response(exports.filename(report, "xlsx"), workbook)


@require_GET
def pdf(request, pk: int):
    scope, report = _report(request, pk)
    content = exports.pdf(report, selectors.view(report, scope))
    response = HttpResponse(content, content_type="application/pdf")
    return workbook_exports.attachment(response, exports.filename(report, "pdf"))
