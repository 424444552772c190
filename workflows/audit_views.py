"""The inspector's view of the audit trail: filters, a per-document timeline, the state
of the chain, and exports. Read-only, for the auditor role."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import permission_required
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from organisation.text import folded_search
from workflows.formatting import grouped

from . import audit, exports, keyset, kinds, paging
from .forms import AuditFilterForm
from .models import AuditEvent, AuditVerification, Document, document_then

PAGE_SIZE = 50
# A filtered list counts its events up to here, and says "more than" beyond: a COUNT over
# millions of rows would cost more than the page itself.
COUNT_CAP = 10_000
# A search for words in the events' own text (comments, a person's name) counts less far:
# each match is found through a trigram index and then read to be rechecked, so counting
# 10,001 of them took 100-130 ms at 10 million events (benchmarks/README.md).
TEXT_COUNT_CAP = 1_000
EXPORTED = audit.register_action("workflows.audit.exported", gettext_lazy("Audit trail exported"))
XLSX_MAX_ROWS = 1_000_000
view_permission = permission_required("organisation.view_audit_trail", raise_exception=True)


def _filtered(form: AuditFilterForm) -> QuerySet[AuditEvent]:
    return _filter(form)[0]


def _filter(form: AuditFilterForm) -> tuple[QuerySet[AuditEvent], bool]:
    """The events the form asks for, and whether that searches words in their text."""
    events = AuditEvent.objects.all()
    if not form.is_bound:
        return events, False
    if not form.is_valid():
        return events.none(), False
    searched = False
    f = form.cleaned_data
    if f.get("document_id"):
        events = events.filter(document_id=f["document_id"])
    if f.get("document"):
        events = events.filter(folded_search("document__search_folded", f["document"]))
    if f.get("kind"):
        events = events.filter(document__kind=f["kind"])
    if f.get("actor"):
        # A user name is looked up first, so the list can use the (actor, seq) index.
        person = get_user_model().objects.filter(username__iexact=f["actor"]).first()
        events = (
            events.filter(actor=person)
            if person
            else events.filter(actor_name__icontains=f["actor"])
        )
        searched = person is None
    if f.get("unit"):
        events = events.filter(unit_code=f["unit"])
    if f.get("action"):
        events = events.filter(action=f["action"])
    tz = timezone.get_current_timezone()
    if f.get("date_from"):
        start = dt.datetime.combine(f["date_from"], dt.time.min, tzinfo=tz)
        events = events.filter(created_at__gte=start)
    if f.get("date_to"):
        end = dt.datetime.combine(f["date_to"] + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        events = events.filter(created_at__lt=end)
    if f.get("q"):
        events = events.filter(folded_search("comment_folded", f["q"]))
        searched = True
    return events, searched


def _form(request) -> AuditFilterForm:
    return AuditFilterForm(
        request.GET or None,
        kind_choices=[(k.code, k.label) for k in kinds.all_kinds()],
        action_choices=sorted(
            ((code, str(label)) for code, label in audit.registered_actions().items()),
            key=lambda c: c[1],
        ),
    )


@require_GET
@view_permission
def trail(request):
    form = _form(request)
    events, searched = _filter(form)
    events = events.select_related("document")
    dated = (
        form.is_bound
        and form.is_valid()
        and (form.cleaned_data.get("date_from") or form.cleaned_data.get("date_to"))
    )
    # With a date range, walk the (created_at, seq) index rather than every later event.
    # Keyset pages: page 20.000 costs what page 1 costs, at millions of events.
    page = keyset.keyset_page(
        events,
        keys=("created_at", "seq") if dated else ("seq",),
        older=request.GET.get(keyset.OLDER),
        newer=request.GET.get(keyset.NEWER),
        size=PAGE_SIZE,
    )
    if form.is_bound and form.has_changed():
        cap = TEXT_COUNT_CAP if searched else COUNT_CAP
        page.count, page.count_is_lower_bound = keyset.capped_count(events, cap)
    else:
        # Events are numbered from 1 without gaps: the chain's head is their number.
        page.count = audit.chain_head()[0]
    return render(
        request,
        "workflows/audit/trail.html",
        {
            "form": form,
            "page": page,
            "query": paging.query_without(request, keyset.OLDER, keyset.NEWER, "page"),
            "verification": AuditVerification.objects.order_by("-created_at", "-pk").first(),
        },
        status=400 if request.GET and not form.is_valid() else 200,
    )


@require_GET
@view_permission
def document_timeline(request, pk):
    document = get_object_or_404(Document.objects.select_related("drafting_unit"), pk=pk)
    events = AuditEvent.objects.filter(document=document).order_by("seq")
    return render(
        request,
        "workflows/audit/document.html",
        {"document": document, "events": events},
    )


COLUMNS = [
    "seq",
    "created_at",
    "actor_name",
    "unit_code",
    "roles",
    "action",
    "document_id",
    "document__number_text",
    "document__title",
    "revision_number",
    "from_state",
    "to_state",
    "comment",
    "ip",
    "hash",
]


def _headers() -> list[str]:
    return [
        "#",
        _("Time"),
        _("Person"),
        _("Unit"),
        _("Roles"),
        _("Action"),
        _("Document ID"),
        _("Number and symbol"),
        _("Document"),
        _("Revision"),
        _("From state"),
        _("To state"),
        _("Comment"),
        _("IP address"),
        "SHA-256",
    ]


def _rows(events):
    """The export rows: typed text, numbers, times and blanks as they are; the writers in
    `exports` keep typed text from running as a formula and blanks empty."""
    for *row, data in events.values_list(*COLUMNS, "data").iterator(chunk_size=2000):
        row[2] = audit.actor_label(row[2], data)
        row[5] = f"{audit.action_label(row[5])} ({row[5]})"
        if row[6] is not None:  # the document as it was then, as the list shows it
            row[7], row[8] = document_then(data, row[7], row[8])
        yield row


def _record_export(request, form, fmt: str, count: int) -> None:
    audit.record(
        action=EXPORTED,
        actor=request.user,
        data={
            "format": fmt,
            "rows": count,
            "filters": {k: v for k, v in request.GET.items() if k != "page" and v},
        },
        ip=audit.client_ip(request),
    )


@require_GET
@view_permission
def export_csv(request):
    form = _form(request)
    events = _filtered(form).order_by("seq")
    _record_export(request, form, "csv", events.count())
    return exports.csv_response("nhat-ky-hoat-dong.csv", _headers(), _rows(events))


@require_GET
@view_permission
def export_xlsx(request):
    form = _form(request)
    events = _filtered(form).order_by("seq")
    count = events.count()
    if count > XLSX_MAX_ROWS:
        return HttpResponse(
            _("Too many events for one spreadsheet (%(n)s). Narrow the filters or use CSV.")
            % {"n": grouped(count)},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    _record_export(request, form, "xlsx", count)
    return exports.xlsx_table("nhat-ky-hoat-dong.xlsx", _("Audit trail"), _headers(), _rows(events))
