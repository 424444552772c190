"""The Office's follow-up page, its XLSX export and the reminder forms. Views only
translate HTTP to the selectors and the service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods
from openpyxl import Workbook

from workflows import audit, exports
from workflows import selectors as workflow_selectors
from workflows.exceptions import WorkflowError
from workflows.forms import refuse
from worktime.calendar import WorkingCalendar, today

from . import selectors, services
from .forms import ReminderForm
from .selectors import PERMISSION

office_only = permission_required(PERMISSION, raise_exception=True)


@require_GET
@office_only
def page(request):
    return render(request, "followup/page.html", {"follow_up": selectors.follow_up(request.user)})


@require_GET
@office_only
def export_xlsx(request):
    follow_up = selectors.follow_up(request.user)
    workbook = Workbook(write_only=True)
    units = workbook.create_sheet(_("Units")[: exports.SHEET_TITLE_MAX])
    exports.xlsx_append(
        units,
        [
            _("Unit"),
            _("Documents held"),
            _("Overdue"),
            _("Longest overdue (working days)"),
            _("Waiting since"),
        ],
    )
    for load in follow_up.units:
        exports.xlsx_append(
            units,
            [load.label, load.held, load.overdue, load.longest_overdue, load.oldest_since],
        )
    for unit in follow_up.idle:
        exports.xlsx_append(units, [unit.name, 0, 0, 0, None])
    documents = workbook.create_sheet(_("Documents")[: exports.SHEET_TITLE_MAX])
    exports.xlsx_append(
        documents,
        [
            _("Unit"),
            _("Document"),
            _("Number"),
            _("Kind"),
            _("Step"),
            _("Waiting since"),
            _("Due date"),
            _("Status"),
            _("Overdue (working days)"),
        ],
    )
    for load in follow_up.units:
        for row in load.documents:
            exports.xlsx_append(
                documents,
                [
                    row.holder_label,
                    row.document.title,
                    row.document.number_text,
                    row.document.kind_config.label,
                    row.step_label,
                    row.since,
                    row.due_on,
                    row.status_text,
                    row.overdue_days,
                ],
            )
    return exports.xlsx_response(f"theo-doi-don-doc-{follow_up.on:%Y-%m-%d}.xlsx", workbook)


def _remind(request, *, target: dict, context: dict):
    """The reminder form (GET) and its sending (POST), for a unit or a document."""
    form = ReminderForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                reminder = services.followup_remind(
                    user=request.user,
                    message=form.cleaned_data["message"],
                    ip=audit.client_ip(request),
                    **target,
                )
            except WorkflowError as exc:
                status = refuse(form, exc)
            else:
                messages.success(
                    request,
                    ngettext(
                        "Reminder sent to %(n)d person.",
                        "Reminder sent to %(n)d people.",
                        len(reminder.recipients),
                    )
                    % {"n": len(reminder.recipients)},
                )
                return redirect(reverse("followup:page"))
        else:
            status = 400
    limit = number_format(services.MAX_MESSAGE, force_grouping=True)
    context = {**context, "form": form, "max_message": limit}
    return render(request, "followup/remind.html", context, status=status)


@require_http_methods(["GET", "POST"])
def remind_unit(request, unit_id):
    unit = selectors.unit_or_404(unit_id)
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    calendar, on = WorkingCalendar.load(), today()
    rows = [
        selectors.held(t.process.document, t, calendar, on)
        for t in selectors.held_by_unit(request.user, unit.pk)
    ]
    return _remind(request, target={"unit_id": unit.pk}, context={"unit": unit, "rows": rows})


@require_http_methods(["GET", "POST"])
def remind_document(request, pk):
    document = workflow_selectors.document_for(request.user, pk)
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    task = selectors.held_document(document)
    rows = []
    if task is not None:
        rows = [selectors.held(document, task, WorkingCalendar.load(), today())]
    return _remind(
        request,
        target={"document_id": document.pk},
        context={"document": document, "rows": rows},
    )
