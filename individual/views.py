"""The individual ranking's pages: one's own score and how it is made up, a unit's people
for its head, everyone grouped by unit for the Council, and the Centre's mail-statistics
import. Who sees whom is decided by `individual.access`; every page reads one
`selectors.person_scores` call and loads only the people it shows, so its query count
does not grow with the people."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from organisation.models import Person, Unit
from reporting import scoring
from workflows import audit, paging
from workflows.formatting import grouped
from worktime.calendar import today

from . import access, mail_csv, selectors, services
from .forms import MailImportForm
from .models import MailImport

PAGE_SIZE = 100


def _year(request) -> int:
    """The year asked for (?year=), the current one when absent or not a plausible year."""
    text = request.GET.get("year", "")
    if text.isascii() and text.isdigit() and 2000 <= int(text) <= 2100:
        return int(text)
    return today().year


def _context(request, scores, **extra) -> dict:
    return {
        "year": scores.year,
        "scores": scores,
        "query": paging.query_without(request, "page"),
        "can_see_all": access.can_see_everyone(request.user),
        "can_import": request.user.has_perm(services.PERMISSION),
        "headed_units": Unit.objects.filter(pk__in=access.headed_unit_ids(request.user)),
        **extra,
    }


def _person_page(request, person: Person, year: int):
    scores = selectors.person_scores(year)
    score = selectors.score_of(scores, person.pk)
    return render(
        request,
        "individual/person.html",
        _context(
            request,
            scores,
            person=person,
            score=score,
            ranked=len(scores),
            own=person.pk == request.user.pk,
        ),
    )


@require_GET
def mine(request):
    return _person_page(request, request.user, _year(request))


@require_GET
def person(request, person_id: int):
    target = get_object_or_404(Person.objects.select_related("unit"), pk=person_id)
    if target.pk != request.user.pk:
        if not access.can_see_others(request.user):
            raise PermissionDenied
        if not access.can_see_person(request.user, target):
            raise Http404
    return _person_page(request, target, _year(request))


@require_GET
def unit(request, unit_id: int):
    if not access.can_see_others(request.user):
        raise PermissionDenied
    target = get_object_or_404(Unit, pk=unit_id)
    if not access.can_see_unit(request.user, target):
        raise Http404
    scores = selectors.person_scores(_year(request), unit_ids=[target.pk])
    page = paging.page_of(request, scores, PAGE_SIZE)
    for row in selectors.with_people(page.object_list):
        row.unit = target
    return render(
        request, "individual/unit.html", _context(request, scores, unit=target, page=page)
    )


@require_GET
def everyone(request):
    """The units' figures first, then everyone, unit by unit and best first within a
    unit, 100 a page (?page=; a page out of range shows the last, an unreadable one the
    first, as every list of the product)."""
    if not access.can_see_everyone(request.user):
        raise PermissionDenied
    scores = selectors.person_scores(_year(request))
    units = list(Unit.objects.all())
    table = selectors.units_table(scores, units)
    order = {u.pk: position for position, u in enumerate(units)}
    rows = sorted(scores, key=lambda s: (order.get(s.unit_id, len(order)), s.rank))
    by_unit = {line.unit.pk: line for line in table}
    for position, row in enumerate(rows):
        line = by_unit.get(row.unit_id)
        if line is not None and line.first_page is None:
            line.first_page = position // PAGE_SIZE + 1
    page = paging.page_of(request, rows, PAGE_SIZE)
    for row in selectors.with_people(page.object_list):
        row.unit = by_unit[row.unit_id].unit if row.unit_id in by_unit else None
    return render(
        request,
        "individual/everyone.html",
        _context(request, scores, page=page, table=table, grades=list(scoring.GRADES.values())),
    )


@require_http_methods(["GET", "POST"])
def mail_import(request):
    if not request.user.has_perm(services.PERMISSION):
        raise PermissionDenied
    form = MailImportForm(request.POST or None, request.FILES or None)
    refusal, problems, status = "", [], 200
    if request.method == "POST":
        if form.is_valid():
            result = services.mail_import_create(
                user=request.user,
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
                file=form.cleaned_data["file"],
                ip=audit.client_ip(request),
            )
            if result.mail_import is not None:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s account imported for %(period)s.",
                        "%(count)s accounts imported for %(period)s.",
                        result.mail_import.accounts,
                    )
                    % {
                        "count": grouped(result.mail_import.accounts),
                        "period": str(result.mail_import),
                    },
                )
                return redirect("individual:mail_import")
            refusal, problems = result.refusal, result.problems
        status = 400
    return render(
        request,
        "individual/mail_import.html",
        {
            "form": form,
            "refusal": refusal,
            "problems": problems,
            "problem_summary": ngettext(
                "The file has %(count)s problem. Nothing was saved: correct it and import "
                "the file again.",
                "The file has %(count)s problems. Nothing was saved: correct them and import "
                "the file again.",
                len(problems),
            )
            % {"count": grouped(len(problems))},
            "imports": MailImport.objects.select_related("imported_by")[:20],
            "max_mb": mail_csv.MAX_BYTES // (1024 * 1024),
            "header": " | ".join(mail_csv.TEMPLATE_HEADER),
        },
        status=status,
    )


@require_GET
def mail_template(request):
    if not request.user.has_perm(services.PERMISSION):
        raise PermissionDenied
    response = HttpResponse(mail_csv.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="thong-ke-thu-dien-tu.csv"'
    return response
