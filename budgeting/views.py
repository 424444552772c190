from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from planning.kinds import published_guidance
from workflows import audit, editing, exports, permissions, selectors
from workflows.exceptions import NotEditable, NotInScope, WorkflowError
from workflows.formatting import grouped
from workflows.forms import with_extra_row
from workflows.views import _document_list

from . import services, spreadsheets
from .forms import EstimateCreateForm, EstimateForm, LineFormSet
from .models import Estimate

INLINE_LINES = 100
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
    document = editing.editable_document(
        request,
        pk,
        kinds={services.KIND},
        closed_message=_("This estimate can no longer be edited."),
    )
    if editing.is_response(document):
        return document
    estimate = Estimate.objects.select_related("annual_plan__document").get(document=document)
    tasks = [(str(t.uid), t.name) for t in estimate.annual_plan.tasks.order_by("position", "pk")]
    formset_kwargs = {"form_kwargs": {"plan_tasks": tasks}, "prefix": "lines"}
    # Beyond a page of lines the form would be unusable (and past Django's field limit):
    # the lines are then shown read-only and changed through the spreadsheet import.
    inline = estimate.lines.count() <= INLINE_LINES
    status = 200
    if request.method == "POST":
        data = request.POST
        if inline and "add_line" in data:
            data = with_extra_row(data, "lines")
        form = EstimateForm(data)
        row_ids = estimate.lines.values_list("uid", flat=True)
        lines = LineFormSet(data, row_ids=row_ids, **formset_kwargs) if inline else None
        valid = form.is_valid() & (lines is None or lines.is_valid())
        if "add_line" not in data and valid:

            def call():
                services.estimate_update(
                    user=request.user,
                    document_id=document.pk,
                    version=form.cleaned_data["version"],
                    title=form.cleaned_data["title"],
                    justification=form.cleaned_data["justification"],
                    lines=None if lines is None else editing.rows(lines, services.LineRow),
                    ip=audit.client_ip(request),
                )

            outcome = editing.save(request, form, document, call, "budgeting:edit")
            if editing.is_response(outcome):
                return outcome
            status = outcome
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
        lines = LineFormSet(initial=_initial_lines(estimate), **formset_kwargs) if inline else None
    return _render_edit(request, document, estimate, form, lines, status=status)


def _render_edit(request, document, estimate, form, lines, *, status=200, **extra):
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
            "max_import_mb": spreadsheets.MAX_BYTES // (1024 * 1024),
            "line_count": estimate.lines.count(),
            "inline_limit": INLINE_LINES,
            **extra,
        },
        status=status,
    )


def _estimate_document(request, pk):
    document = selectors.document_for(request.user, pk)
    if document.kind != services.KIND:
        raise NotInScope
    return document


def _xlsx_response(data: bytes, filename: str) -> HttpResponse:
    return exports.attachment(HttpResponse(data, content_type=spreadsheets.CONTENT_TYPE), filename)


@require_GET
def estimate_export(request, pk):
    """The estimate as XLSX, in any state: the signed revision once issued, the current
    content otherwise."""
    document = _estimate_document(request, pk)
    if document.signed_revision_id:
        content = document.signed_revision.content
    else:
        content = document.kind_config.snapshot(document)
    if document.number_text:
        number = document.number_text.replace("Đ", "D").replace("đ", "d").replace("/", "-")
        name = f"du-toan-{document.year}-{slugify(number)}.xlsx"
    else:
        name = f"du-toan-{document.year}-{document.pk}.xlsx"
    return _xlsx_response(spreadsheets.export_estimate(document, content), name)


@require_GET
def estimate_template(request):
    return _xlsx_response(spreadsheets.template_xlsx(), "mau-du-toan.xlsx")


@require_POST
def estimate_import(request, pk):
    """Replace every line of the estimate with the lines of an XLSX file made from the
    template: all rows valid, or nothing saved and every problem listed."""
    document = _estimate_document(request, pk)
    kind = document.kind_config
    if not (
        request.user.unit_id == document.drafting_unit_id
        and request.user.has_perm(kind.draft_permission)
    ):
        raise PermissionDenied
    if not permissions.can_edit(request.user, document):
        messages.error(request, NotEditable.default_message)
        return redirect("workflows:document", pk=document.pk)
    estimate = Estimate.objects.select_related("annual_plan__document").get(document=document)
    plan_tasks = list(estimate.annual_plan.tasks.order_by("position", "pk"))

    def refuse(message, problems=(), status=400):
        form = EstimateForm(
            initial={
                "version": document.version,
                "title": document.title,
                "justification": estimate.justification,
            }
        )
        lines = None
        if estimate.lines.count() <= INLINE_LINES:
            lines = LineFormSet(
                initial=_initial_lines(estimate),
                form_kwargs={"plan_tasks": [(str(t.uid), t.name) for t in plan_tasks]},
                prefix="lines",
            )
        return _render_edit(
            request,
            document,
            estimate,
            form,
            lines,
            status=status,
            import_refusal=message,
            import_problems=list(problems),
        )

    upload = request.FILES.get("file")
    if upload is None:
        return refuse(_("Choose an XLSX file to import."))
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        return refuse(_("The form is incomplete: reload the page and try again."))
    try:
        spreadsheets.check_size(upload.size)  # before reading a byte of it
        rows, problems = spreadsheets.parse_lines(
            upload, tasks={t.name: str(t.uid) for t in plan_tasks}
        )
    except spreadsheets.SpreadsheetRefused as exc:
        return refuse(exc.message)
    if problems:
        return refuse(
            ngettext(
                "The file has %(count)s problem. Nothing was saved: correct it and import "
                "the file again.",
                "The file has %(count)s problems. Nothing was saved: correct them and import "
                "the file again.",
                len(problems),
            )
            % {"count": grouped(len(problems))},
            problems,
        )
    try:
        services.estimate_update(
            user=request.user,
            document_id=document.pk,
            version=version,
            title=document.title,
            justification=estimate.justification,
            lines=rows,
            ip=audit.client_ip(request),
            what="import",
        )
    except WorkflowError as exc:
        message = " ".join(str(p) for p in exc.problems) if exc.problems else exc.message
        return refuse(message, status=exc.status)
    messages.success(
        request,
        ngettext(
            "%(count)s line imported from %(file)s; it replaces the previous lines.",
            "%(count)s lines imported from %(file)s; they replace the previous lines.",
            len(rows),
        )
        % {"count": grouped(len(rows)), "file": upload.name},
    )
    return redirect("budgeting:edit", pk=document.pk)
