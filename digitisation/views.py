"""The digitisation pages: batches, one batch (check, rework), the XLSX import and its
template, and the progress page with its export. Views stay thin: the services check
permissions and record every change; the selectors compute every figure."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from organisation.models import Unit
from planning.models import PlanTask
from workflows import audit, exports, paging
from workflows.exceptions import WorkflowError
from workflows.formatting import grouped
from workflows.forms import refuse

from . import selectors, services, spreadsheets
from .forms import BatchForm, CheckForm, PeriodForm, ReworkForm, TargetForm
from .models import State


def _require_reader(user) -> None:
    if not selectors.can_read(user):
        raise PermissionDenied


def _require_registrar(user) -> None:
    _require_reader(user)
    if not selectors.can_register(user):
        raise PermissionDenied


@require_GET
def batches(request):
    _require_reader(request.user)
    state = request.GET.get("state", "")
    if state not in State.values:
        state = ""
    page = paging.page_of(request, selectors.batch_rows(state or None), 50)
    return render(
        request,
        "digitisation/batches.html",
        {
            "page": page,
            "state": state,
            "states": State.choices,
            "query": f"state={state}" if state else "",
            "may_register": selectors.can_register(request.user),
        },
    )


def _row(data) -> services.BatchRow:
    return services.BatchRow(
        fonds=data.get("fonds", ""),
        unit_id=getattr(data.get("unit"), "pk", None),
        period_from=data.get("period_from"),
        period_to=data.get("period_to"),
        documents=data.get("documents"),
        pages=data.get("pages"),
        performed_by=data.get("performed_by", ""),
        plan_task_id=getattr(data.get("plan_task"), "pk", None),
    )


@require_http_methods(["GET", "POST"])
def batch_new(request):
    if request.method == "GET":
        _require_registrar(request.user)
        return render(request, "digitisation/batch_new.html", {"form": BatchForm()})
    form = BatchForm(request.POST)
    data = form.cleaned_data if form.is_valid() else {}
    try:
        batch = services.batch_register(
            user=request.user, row=_row(data), ip=audit.client_ip(request)
        )
    except WorkflowError as exc:
        status = refuse(form, exc) if form.is_valid() else 400
        return render(request, "digitisation/batch_new.html", {"form": form}, status=status)
    messages.success(request, _("Batch registered: the Centre will check it."))
    return redirect("digitisation:batch", batch.pk)


def _detail(request, pk, *, check_form=None, rework_form=None, status=200):
    if not selectors.can_read(request.user):
        raise Http404  # a batch is outside the scope of those with no reason to read
    batch = selectors.batch_detail(pk)
    if batch is None:
        raise Http404
    may_check = selectors.can_check(request.user) and batch.state in services.CHECKABLE
    may_redo = selectors.can_register(request.user) and batch.state == State.REJECTED
    return render(
        request,
        "digitisation/batch.html",
        {
            "batch": batch,
            "check_form": (check_form or CheckForm()) if may_check else None,
            "rework_form": (
                rework_form
                or ReworkForm(initial={"documents": batch.documents, "pages": batch.pages})
            )
            if may_redo
            else None,
        },
        status=status,
    )


@require_GET
def batch(request, pk):
    return _detail(request, pk)


# When a form is invalid, the service is still called, with nothing in the fields: it
# refuses for scope or permission first (and records that), else for the input, so a
# person who may not act is never told what is wrong with their form.


@require_POST
def batch_check(request, pk):
    form = CheckForm(request.POST)
    data = form.cleaned_data if form.is_valid() else {}
    reject = data.get("verdict", request.POST.get("verdict")) == "reject"
    try:
        if reject:
            services.batch_reject(
                user=request.user,
                batch_id=pk,
                sample_size=data.get("sample_size"),
                reasons=data.get("reasons", ""),
                ip=audit.client_ip(request),
            )
        else:
            services.batch_accept(
                user=request.user,
                batch_id=pk,
                sample_size=data.get("sample_size"),
                ip=audit.client_ip(request),
            )
    except WorkflowError as exc:
        status = refuse(form, exc) if form.is_valid() else 400
        return _detail(request, pk, check_form=form, status=status)
    if reject:
        messages.success(request, _("Batch rejected: the Office will redo it."))
    else:
        messages.success(request, _("Batch accepted: its documents and pages now count."))
    return redirect("digitisation:batch", pk)


@require_POST
def batch_redo(request, pk):
    form = ReworkForm(request.POST)
    data = form.cleaned_data if form.is_valid() else {}
    try:
        services.batch_redo(
            user=request.user,
            batch_id=pk,
            note=data.get("note", ""),
            documents=data.get("documents"),
            pages=data.get("pages"),
            ip=audit.client_ip(request),
        )
    except WorkflowError as exc:
        status = refuse(form, exc) if form.is_valid() else 400
        return _detail(request, pk, rework_form=form, status=status)
    messages.success(request, _("Rework recorded: the Centre will check the batch again."))
    return redirect("digitisation:batch", pk)


# --- Import ---------------------------------------------------------------------------


def _import_page(request, *, refusal="", problems=(), status=200):
    return render(
        request,
        "digitisation/import.html",
        {
            "import_refusal": refusal,
            "import_problems": list(problems),
            "max_import_mb": spreadsheets.MAX_BYTES // (1024 * 1024),
            "max_batches": grouped(services.MAX_BATCHES),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def batch_import(request):
    _require_registrar(request.user)
    if request.method == "GET":
        return _import_page(request)
    upload = request.FILES.get("file")
    if upload is None:
        return _import_page(request, refusal=_("Choose an XLSX file to import."), status=400)
    try:
        spreadsheets.check_size(upload.size)  # before reading a byte of it
        found = spreadsheets.lookups(Unit.objects.all(), selectors.deliverable_tasks())
        rows, problems = spreadsheets.parse_batches(upload, found=found)
    except spreadsheets.SpreadsheetRefused as exc:
        return _import_page(request, refusal=exc.message, status=400)
    if problems:
        refusal = ngettext(
            "The file has %(count)s problem. Nothing was saved: correct it and import "
            "the file again.",
            "The file has %(count)s problems. Nothing was saved: correct them and import "
            "the file again.",
            len(problems),
        ) % {"count": grouped(len(problems))}
        return _import_page(request, refusal=refusal, problems=problems, status=400)
    try:
        created = services.batches_register(
            user=request.user, rows=rows, ip=audit.client_ip(request), via="import"
        )
    except WorkflowError as exc:
        return _import_page(
            request, refusal=" ".join(str(p) for p in exc.problems or [exc.message]), status=400
        )
    messages.success(
        request,
        ngettext(
            "%(count)s batch imported: the Centre will check it.",
            "%(count)s batches imported: the Centre will check them.",
            len(created),
        )
        % {"count": grouped(len(created))},
    )
    return redirect("digitisation:batches")


@require_GET
def batch_template(request):
    _require_registrar(request.user)
    data = spreadsheets.template_xlsx(units=Unit.objects.all(), tasks=selectors.deliverable_tasks())
    return exports.attachment(
        HttpResponse(data, content_type=spreadsheets.CONTENT_TYPE), "mau-lo-so-hoa.xlsx"
    )


# --- Progress -------------------------------------------------------------------------


def _period(request):
    form = PeriodForm(request.GET or None)
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data.get("start"), form.cleaned_data.get("end")
        if start and end and end < start:
            form.add_error("end", _("The end is before the start: swap the dates."))
            return form, None, None
        return form, start, end
    return form, None, None


def _period_label(start, end) -> str:
    if not start and not end:
        return _("All periods")
    return f"{_day(start)} – {_day(end)}"


def _day(d) -> str:
    return formats.date_format(d, "SHORT_DATE_FORMAT") if d else "…"


def progress_tables(*, start=None, end=None) -> tuple[list[dict], list[dict]]:
    """The progress page's rows (by unit, by task), straight from the selectors."""
    by_unit = selectors.unit_figures(start=start, end=end)
    units = Unit.objects.filter(pk__in=by_unit)
    unit_rows = [{"label": u.name, "unit": u, "figures": by_unit[u.pk]} for u in units]
    by_task = selectors.task_figures(start=start, end=end)
    # Every task with figures, even one whose plan has since been superseded.
    tasks = (
        PlanTask.objects.filter(pk__in=by_task)
        .select_related("plan__document")
        .order_by("-plan__period_start", "position", "pk")
    )
    task_rows = [
        {"label": selectors.task_label(t), "task": t, "figures": by_task[t.pk]} for t in tasks
    ]
    return unit_rows, task_rows


def _progress_page(request, *, target_form=None, status=200):
    _require_reader(request.user)
    form, start, end = _period(request)
    unit_rows, task_rows = progress_tables(start=start, end=end)
    may_set = selectors.can_set_targets(request.user)
    return render(
        request,
        "digitisation/progress.html",
        {
            "form": form,
            "tables": [
                {"key": "units", "caption": _("By unit"), "first": _("Unit"), "rows": unit_rows},
                {
                    "key": "tasks",
                    "caption": _("By plan task"),
                    "first": _("Plan task"),
                    "rows": task_rows,
                },
            ],
            "figures": spreadsheets.PROGRESS_FIGURES,
            "period": _period_label(start, end),
            "query": request.GET.urlencode(),
            "target_form": (target_form or TargetForm()) if may_set else None,
        },
        status=status,
    )


@require_GET
def progress(request):
    return _progress_page(request)


@require_GET
def progress_export(request):
    _require_reader(request.user)
    _form, start, end = _period(request)
    unit_rows, task_rows = progress_tables(start=start, end=end)
    data = spreadsheets.progress_xlsx(
        by_unit=unit_rows, by_task=task_rows, period=_period_label(start, end)
    )
    return exports.attachment(
        HttpResponse(data, content_type=spreadsheets.CONTENT_TYPE), "tien-do-so-hoa.xlsx"
    )


@require_POST
def target_set(request):
    form = TargetForm(request.POST)
    data = form.cleaned_data if form.is_valid() else {}
    try:
        services.target_set(
            user=request.user,
            plan_task_id=getattr(data.get("plan_task"), "pk", None),
            unit_id=getattr(data.get("unit"), "pk", None),
            documents=data.get("documents"),
            pages=data.get("pages"),
            ip=audit.client_ip(request),
        )
    except WorkflowError as exc:
        status = refuse(form, exc) if form.is_valid() else 400
        return _progress_page(request, target_form=form, status=status)
    messages.success(request, _("Target saved."))
    return redirect("digitisation:progress")
