"""The document pages every kind shares: My work, lists, a document's page, review, sign,
compare, print and the flow chart. Views only translate HTTP to services and selectors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from viewflow.workflow import chart

from organisation.models import Unit
from signing import step_up
from worktime.calendar import today as vietnam_today

from . import (
    audit,
    hooks,
    issued_pdf,
    kinds,
    money,
    numbering,
    paging,
    permissions,
    selectors,
    services,
)
from .exceptions import WorkflowError
from .flows import DocumentFlow
from .forms import (
    ActionForm,
    CommentForm,
    DocumentFilterForm,
    DueDateForm,
    DueFilterForm,
    form_problems,
)
from .models import State


def _ip(request) -> str | None:
    return audit.client_ip(request)


@require_GET
def my_work(request):
    user = request.user
    form = DueFilterForm(request.GET or None)
    due = (form.cleaned_data.get("due") or None) if form.is_valid() else None
    mine = paging.page_of(
        request,
        paging.NarrowSort(selectors.my_tasks(user, due=due)),
        MY_WORK_ROWS,
        count=selectors.my_task_count(user, due=due),
    )
    queue = paging.page_of(
        request,
        paging.NarrowSort(selectors.unit_queue(user, due=due, without_mine=True)),
        MY_WORK_ROWS,
        param="queue_page",
    )
    return render(
        request,
        "workflows/my_work.html",
        {
            "form": form,
            "mine": mine.object_list,
            "mine_page": mine,
            "mine_total": mine.paginator.count,
            "mine_query": paging.query_without(request, "page"),
            "queue": queue.object_list,
            "queue_page": queue,
            "queue_query": paging.query_without(request, "queue_page"),
        },
        status=200 if form.is_valid() or not request.GET else 400,
    )


# As many rows as stock viewflow's task lists show: a page a person reads at a glance,
# light to send, whatever the number of open tasks.
MY_WORK_ROWS = 25


def _document_list(
    request,
    *,
    kind_codes,
    title,
    create_url=None,
    create_label="",
    extra_links=(),
    template="workflows/document_list.html",
):
    form = DocumentFilterForm(
        request.GET or None,
        kind_choices=[(k.code, k.label) for k in kinds.all_kinds() if k.code in kind_codes],
        unit_choices=[(u.pk, u.name) for u in Unit.objects.all()],
    )
    filters = form.cleaned_data if form.is_valid() else {}
    docs = selectors.document_list(
        request.user,
        kind_codes=kind_codes,
        year=filters.get("year"),
        kind=filters.get("kind") or None,
        state=filters.get("state") or None,
        unit=int(filters["unit"]) if filters.get("unit") else None,
        q=filters.get("q") or "",
        due=filters.get("due") or None,
    )
    page = paging.page_of(request, docs, 50)
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "title": title,
            "create_url": create_url,
            "create_label": create_label,
            "extra_links": extra_links,
            "query": paging.query_without(request, "page"),
            "can_create": any(
                request.user.has_perm(kinds.get(c).draft_permission) for c in kind_codes
            ),
        },
        status=200 if form.is_valid() or not request.GET else 400,
    )


@require_GET
def documents(request):
    return _document_list(
        request, kind_codes=[k.code for k in kinds.all_kinds()], title=_("All documents")
    )


def _document_context(request, document, *, task=None):
    open_task = selectors.open_task(document)
    snapshot = selectors.current_content(document)
    user = request.user
    step = open_task.flow_task.name if open_task else None
    kind = document.kind_config
    return {
        **_kind_extras(document, snapshot),
        "document": document,
        "kind": kind,
        "open_task": open_task,
        "holder": selectors.holder(document, open_task),
        "content": selectors.presented(document, snapshot),
        "comments": selectors.comments(document),
        "timeline": selectors.timeline(document),
        "revisions": document.revisions.select_related("created_by").order_by("-number"),
        "can_edit": permissions.can_edit(user, document),
        "can_submit": step == "draft" and permissions.can_edit(user, document),
        "opinion_mode": kind.review_mode == "opinion",
        "can_submit_to_signer": step == "draft"
        and kind.review_mode == "opinion"
        and permissions.can_edit(user, document)
        and document.has_opinion,
        "can_review": step == "review"
        and user.unit_id == document.reviewing_unit_id
        and user.has_perm(kind.review_permission),
        "can_sign": step == "sign" and user.has_perm(kind.sign_permission),
        "can_issue": step == "issue" and user.has_perm(kind.issue_permission),
        **hooks.signed_copies().panel(user, document),
        "can_comment": permissions.can_comment(user, document),
        **_holding(user, document, open_task),
        "can_set_due_date": open_task is not None and permissions.may_set_due_date(user, document),
        "due_form": DueDateForm(initial={"version": document.version, "due_on": document.due_on}),
        "action_labels": audit.registered_actions(),
        "State": State,
    }


def _kind_extras(document, snapshot) -> dict:
    kind = document.kind_config
    panels = kind.panels(document, snapshot)
    return {
        "panels": panels,
        "panels_template": kind.panels_template,
        "warnings": kind.warnings(document, snapshot, panels),
    }


@require_GET
def document_detail(request, pk):
    document = selectors.document_for(request.user, pk)
    return render(request, "workflows/document_detail.html", _document_context(request, document))


def _review_or_sign(request, pk, task_pk, step, template, extra=None):
    document = selectors.document_for(request.user, pk)
    task = selectors.task_for(request.user, document, task_pk, step)
    context = _document_context(request, document, task=task)
    if extra is not None:
        context.update(extra(request.user, document))
    latest = selectors.latest_revision(document)
    seen = selectors.last_seen(request.user, document)
    old = None
    if seen and seen != latest.number:
        old = selectors.revision(document, seen).content
    elif seen is None and latest.number > 1:
        old = selectors.revision(document, latest.number - 1).content
    context.update(
        {
            "task": task,
            "task_open": task.status in selectors.OPEN,
            "revision": latest,
            "content": selectors.presented(document, latest.content),
            **_kind_extras(document, latest.content),
            "diff": selectors.diff(document, old, latest.content) if old else None,
            "diff_from": seen
            if (seen and seen != latest.number)
            else (latest.number - 1 if old else None),
            "action_form": ActionForm(initial={"version": document.version}),
            "comment_form": CommentForm(anchors=_anchors(context["content"])),
        }
    )
    if task.status in selectors.OPEN:
        services.revision_mark_seen(
            user=request.user, document=document, revision_number=latest.number
        )
    return render(request, template, context)


def _anchors(presented):
    choices = [("", _("The whole document"))]
    choices += [("section:" + s["key"], s["label"]) for s in presented["sections"]]
    for table in presented["tables"]:
        for i, row in enumerate(table["rows"], start=1):
            name = row["cells"][0]["value"] if row["cells"] else ""
            choices.append(
                (f"row:{table['key']}:{row['uid']}", f"{table['label']} {i}: {name}"[:100])
            )
    return choices


@require_GET
def review(request, pk, task_pk):
    return _review_or_sign(request, pk, task_pk, "review", "workflows/review.html")


def _sign_extra(user, document) -> dict:
    return {
        **hooks.signature_authority().notice(user, document),
        "step_up_method": step_up.signing_step_up_method(user),
    }


@require_GET
def sign(request, pk, task_pk):
    return _review_or_sign(request, pk, task_pk, "sign", "workflows/sign.html", extra=_sign_extra)


def _issue_extra(user, document) -> dict:
    kind = document.kind_config
    today = vietnam_today()
    return {
        "next_number": numbering.format_number(
            number=numbering.peek_next_number(register=kind.register, year=today.year),
            register=kind.register,
        ),
        "today": today,
        "units": Unit.objects.all(),
        "default_recipients": {document.drafting_unit_id, document.reviewing_unit_id},
    }


@require_GET
def issue(request, pk, task_pk):
    return _review_or_sign(
        request, pk, task_pk, "issue", "workflows/issue.html", extra=_issue_extra
    )


_DONE = {
    "submit": gettext_lazy("Submitted for review."),
    "return": gettext_lazy("Returned for revision."),
    "endorse": gettext_lazy("Endorsed and forwarded for signature."),
    "sign": gettext_lazy("Signed. The Office now numbers, dates and seals it."),
    "issue": gettext_lazy("Issued and sent to the recipients."),
    "opinion": gettext_lazy("Opinion sent to the drafting unit."),
    "submit_to_signer": gettext_lazy("Submitted for signature."),
}


def _refuse(request, document, problems, status):
    """Answer a refused action on the document's own page, with the reason and the
    status code that fits (400 bad input, 409 conflict), rather than a bare error."""
    for problem in problems:
        messages.error(request, problem)
    document = selectors.document_for(request.user, document.pk)
    return render(
        request,
        "workflows/document_detail.html",
        _document_context(request, document),
        status=status,
    )


@require_POST
def act(request, pk, task_pk):
    document = selectors.document_for(request.user, pk)
    selectors.task_for(request.user, document, task_pk)
    form = ActionForm(request.POST)
    if not form.is_valid():
        # What is wrong with each field (a comment too long, an altered page), rather
        # than one message that named neither the field nor the fix.
        return _refuse(request, document, form_problems(form), 400)
    data = form.cleaned_data
    if data["action"] == "sign" and (data["password"] or data["otp_token"]):
        # The step-up comes with the signature: checked first, used up by it.
        try:
            step_up.signing_step_up(
                user=request.user,
                session=request.session,
                password=data["password"],
                otp_token=data["otp_token"],
                ip=_ip(request),
            )
        except ValidationError as exc:
            return _refuse(request, document, exc.messages, 403)
    recipients = data["recipients"]
    try:
        document = services.document_act(
            user=request.user,
            document_id=document.pk,
            task_id=int(task_pk),
            action=data["action"],
            comment=data["comment"],
            verdict=data["verdict"],
            version=data["version"],
            money_unit=request.money_unit,
            due_on=data["due_on"],
            session=request.session,
            issued_on=data["issued_on"],
            recipient_unit_ids=(
                [u.pk for u in recipients] if request.POST.get("recipients_shown") else None
            ),
            ip=_ip(request),
        )
    except WorkflowError as exc:
        return _refuse(request, document, exc.problems or [exc.message], exc.status)
    messages.success(request, str(_DONE[data["action"]]))
    return redirect("workflows:document", pk=document.pk)


@require_POST
def set_due_date(request, pk):
    document = selectors.document_for(request.user, pk)
    form = DueDateForm(request.POST)
    if not form.is_valid():
        problems = [str(e) for errors in form.errors.values() for e in errors]
        return _refuse(request, document, problems, 400)
    try:
        services.document_set_due_date(
            user=request.user,
            document_id=document.pk,
            due_on=form.cleaned_data["due_on"],
            reason=form.cleaned_data["reason"],
            version=form.cleaned_data["version"],
            ip=_ip(request),
        )
    except WorkflowError as exc:
        return _refuse(request, document, exc.problems or [exc.message], exc.status)
    messages.success(request, _("Due date saved."))
    return redirect("workflows:document", pk=document.pk)


@require_POST
def comment(request, pk):
    document = selectors.document_for(request.user, pk)
    form = CommentForm(request.POST, anchors=None)
    if not form.is_valid():
        problems = [str(e) for errors in form.errors.values() for e in errors]
        return _refuse(request, document, problems, 400)
    try:
        services.comment_add(
            user=request.user,
            document_id=document.pk,
            body=form.cleaned_data["body"],
            anchor=form.cleaned_data["anchor"],
            ip=_ip(request),
        )
    except WorkflowError as exc:
        return _refuse(request, document, exc.problems or [exc.message], exc.status)
    messages.success(request, _("Comment saved."))
    back = request.POST.get("back") or document_url(document)
    return redirect(back if url_is_local(back) else document_url(document))


@require_GET
def compare(request, pk):
    document = selectors.document_for(request.user, pk)
    latest = selectors.latest_revision(document)
    if latest is None:
        messages.info(request, _("There is no revision yet: the document has not been submitted."))
        return redirect("workflows:document", pk=document.pk)
    new = selectors.revision(document, request.GET.get("to", latest.number))
    old_number = request.GET.get("from", new.number - 1)
    old = selectors.revision(document, old_number) if str(old_number) != "0" else None
    return render(
        request,
        "workflows/compare.html",
        {
            "document": document,
            "old": old,
            "new": new,
            "diff": selectors.diff(document, old.content if old else None, new.content),
            "revisions": document.revisions.order_by("number"),
        },
    )


@require_GET
def print_view(request, pk):
    document = selectors.document_for(request.user, pk)
    if document.state not in permissions.ISSUED_STATES:
        messages.info(request, _("Only an issued document can be printed."))
        return redirect("workflows:document", pk=document.pk)
    # The official document is Vietnamese and in the unit it was issued in, whatever the
    # reader's preferences.
    with translation.override("vi"), money.money_unit(document.money_unit):
        return render(
            request,
            "workflows/print.html",
            issued_pdf.print_context(document, document.signed_revision),
        )


@require_GET
def document_pdf(request, pk):
    """The issued document as a PDF; while it waits for the signer, the PDF of the
    revision being signed (in the unit the signer reads amounts in), for a preview."""
    document = selectors.document_for(request.user, pk)
    revision = selectors.pdf_revision(document)
    if revision is None:
        messages.info(request, _("There is no PDF before the document is endorsed for signature."))
        return redirect("workflows:document", pk=document.pk)
    data = hooks.signed_copies().stored_pdf(document) if document.signed_at else None
    if data is None:
        issued = document.state in permissions.ISSUED_STATES
        data = issued_pdf.document_pdf(
            document, revision, money_unit=document.money_unit if issued else request.money_unit
        )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="{issued_pdf.pdf_filename(document, revision)}"'
    )
    response["Cache-Control"] = "no-store"
    return response


@login_not_required
@require_GET
def verify_link(request, token):
    """What the QR code on an issued PDF opens, for anyone: what the issued document
    itself shows on its face (number, title, date, signer, state, fingerprint), so a
    reader can check a copy against the register, and nothing more."""
    document = selectors.verified_document(token)
    return render(request, "workflows/verify_link.html", {"document": document})


@require_GET
def flow_chart(request, pk):
    document = selectors.document_for(request.user, pk)
    grid = chart.calc_layout_data(DocumentFlow)
    if document.process_id:
        chart.calc_cell_status(DocumentFlow, grid, document.process_id)
    response = HttpResponse(chart.grid_to_svg(grid), content_type="image/svg+xml")
    # The SVG styles itself inline; it is shown as an <img>, where scripts never run.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response._csp_exempt = True
    return response


def document_url(document) -> str:
    return reverse("workflows:document", args=[document.pk])


def url_is_local(url: str) -> bool:
    return url.startswith("/") and not url.startswith("//")


def _holding(user, document, open_task) -> dict:
    """Who has taken the open task, and whether this person may take or release it."""
    if open_task is None:
        return {}
    step = open_task.flow_task.name
    return {
        "taken_by": open_task.owner,
        "can_take": open_task.owner_id != user.pk
        and permissions.in_pool(user, document, step)
        and (open_task.owner_id is None or selectors.held_for(user, open_task) is not None),
        "can_release": open_task.owner_id == user.pk,
    }


def _take_or_release(request, pk, task_pk, service, done):
    document = selectors.document_for(request.user, pk)
    selectors.task_for(request.user, document, task_pk)
    try:
        service(user=request.user, document_id=document.pk, task_id=int(task_pk), ip=_ip(request))
    except WorkflowError as exc:
        return _refuse(request, document, exc.problems or [exc.message], exc.status)
    messages.success(request, str(done))
    return redirect("workflows:document", pk=document.pk)


@require_POST
def take(request, pk, task_pk):
    return _take_or_release(
        request, pk, task_pk, services.task_take, gettext_lazy("You now hold this task.")
    )


@require_POST
def release(request, pk, task_pk):
    return _take_or_release(
        request,
        pk,
        task_pk,
        services.task_release,
        gettext_lazy("The task is back with the whole team."),
    )
