"""The training pages: courses, the gaps they are planned from, a course with its
enrolments, attendance and results, its XLSX summary, and the person's own courses on
their IT skills page. Thin: the services decide, the selectors read."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from organisation.models import Person
from workflows import audit, exports, money
from workflows.exceptions import WorkflowError
from workflows.forms import refuse

from . import selectors, services
from .forms import CourseForm, PersonForm, ResultForm
from .models import Course, Enrolment, Session

MAX_INVITED = 200  # people invited at once from the proposals


def _course(request, pk) -> Course:
    course = selectors.visible_courses(request.user).filter(pk=pk).first()
    if course is None:
        raise Http404
    return course


def _require_training(user) -> None:
    if not selectors.sees_training(user):
        raise PermissionDenied


def _report(request, exc: WorkflowError) -> None:
    for problem in exc.problems or [exc.message]:
        messages.error(request, problem)


@require_GET
def course_list(request):
    _require_training(request.user)
    return render(
        request,
        "training/course_list.html",
        {
            "courses": selectors.course_list(request.user),
            "organiser": services.is_organiser(request.user),
        },
    )


@require_GET
def gap_page(request):
    if not services.is_organiser(request.user):
        raise PermissionDenied
    return render(
        request,
        "training/gaps.html",
        {"gaps": selectors.gaps(), "groups": selectors.position_groups()},
    )


@require_http_methods(["GET", "POST"])
def course_new(request):
    if not services.is_organiser(request.user):
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        form = CourseForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                course = services.course_create(
                    user=request.user,
                    title=d["title"],
                    module_codes=d["modules"],
                    starts_on=d["starts_on"],
                    ends_on=d["ends_on"],
                    withdraw_until=d["withdraw_until"],
                    sessions=d["sessions"],
                    capacity=d["capacity"],
                    cost=d["cost"] or 0,
                    venue=d["venue"],
                    online_link=d["online_link"],
                    trainer_ids=[p.pk for p in d["trainers"]],
                    plan_task_id=d["plan_task"].pk if d["plan_task"] else None,
                    ip=audit.client_ip(request),
                )
            except WorkflowError as exc:
                status = refuse(form, exc)
            else:
                messages.success(request, _("The course is planned: invite people now."))
                return redirect("training:course", course.pk)
        else:
            status = 400
    else:
        initial = {}
        if request.GET.get("module"):
            initial["modules"] = [request.GET["module"][:10]]
        form = CourseForm(initial=initial)
    return render(request, "training/course_form.html", {"form": form}, status=status)


def _nominable(user, course) -> object:
    """Whom the user may invite (an organiser: anyone) or nominate (a head: their staff)."""
    people = Person.objects.filter(is_active=True).exclude(
        enrolments__course=course, enrolments__status__in=selectors.ACTIVE
    )
    if services.is_organiser(user):
        return people
    return people.filter(unit_id__in=services.headed_unit_ids(user))


@require_GET
def course_page(request, pk):
    course = _course(request, pk)
    user = request.user
    can_enrol = course.status == Course.Status.PLANNED and (
        services.is_organiser(user) or bool(services.headed_unit_ids(user))
    )
    can_record = services.can_record(user, course)
    detail = selectors.course_detail(course)
    heads = services.headed_unit_ids(user)
    organiser = services.is_organiser(user)
    for e in detail["seated"] + detail["waiting"]:
        e.can_withdraw = e.person_id == user.pk or organiser or e.person.unit_id in heads
    proposed = []
    if organiser and course.status == Course.Status.PLANNED:
        codes = {m.code for m in detail["modules"]}
        seen = {e.person_id for e in detail["seated"] + detail["waiting"]}
        for gap in selectors.gaps():
            if gap.module.code in codes:
                proposed += [p for p in gap.proposed if p.pk not in seen]
                seen |= {p.pk for p in gap.proposed}
    return render(
        request,
        "training/course.html",
        {
            "course": course,
            **detail,
            "cost": money.with_unit(course.cost, money.DONG),
            "can_enrol": can_enrol,
            "can_record": can_record and course.status == Course.Status.PLANNED,
            "enrol_form": PersonForm(people=_nominable(user, course)) if can_enrol else None,
            "proposed": proposed,
            "summary": selectors.course_summary(course),
            "result_choices": ResultForm.base_fields["result"].choices,
        },
    )


def _back(course_id):
    return redirect(reverse("training:course", args=[course_id]), permanent=False)


@require_POST
def enrol(request, pk):
    course = _course(request, pk)
    form = PersonForm(request.POST, people=Person.objects.filter(is_active=True))
    if not form.is_valid():
        messages.error(request, _("Choose the person to enrol."))
        return _back(course.pk)
    try:
        enrolment = services.enrolment_add(
            user=request.user,
            course_id=course.pk,
            person_id=form.cleaned_data["person"].pk,
            ip=audit.client_ip(request),
        )
    except WorkflowError as exc:
        _report(request, exc)
    else:
        if enrolment.status == Enrolment.Status.WAITING:
            messages.warning(request, _("The course is full: the person is on the waiting list."))
        else:
            messages.success(request, _("Enrolled."))
    return _back(course.pk)


@require_POST
def invite_proposed(request, pk):
    course = _course(request, pk)
    if not services.is_organiser(request.user):
        raise PermissionDenied
    ids = []
    for value in request.POST.getlist("person")[:MAX_INVITED]:
        if value.isdigit():
            ids.append(int(value))
    done = 0
    for person_id in ids:
        try:
            services.enrolment_add(
                user=request.user,
                course_id=course.pk,
                person_id=person_id,
                ip=audit.client_ip(request),
            )
            done += 1
        except (WorkflowError, Http404) as exc:
            if isinstance(exc, WorkflowError):
                _report(request, exc)
    messages.success(request, _("%(n)s people invited.") % {"n": done})
    return _back(course.pk)


@require_POST
def withdraw(request, pk):
    enrolment = get_object_or_404(Enrolment, pk=pk)
    _course(request, enrolment.course_id)
    try:
        services.enrolment_withdraw(
            user=request.user, enrolment_id=enrolment.pk, ip=audit.client_ip(request)
        )
    except WorkflowError as exc:
        _report(request, exc)
    else:
        messages.success(request, _("Withdrawn."))
    if request.POST.get("next") == "my_skills":
        return redirect("standards:my_skills")
    return _back(enrolment.course_id)


@require_POST
def attendance(request, pk):
    session = get_object_or_404(Session, pk=pk)
    _course(request, session.course_id)
    present = [int(v) for v in request.POST.getlist("present") if v.isdigit()]
    try:
        services.attendance_record(
            user=request.user,
            session_id=session.pk,
            present_ids=present,
            ip=audit.client_ip(request),
        )
    except WorkflowError as exc:
        _report(request, exc)
    else:
        messages.success(request, _("Attendance recorded."))
    return _back(session.course_id)


@require_POST
def result(request, pk):
    enrolment = get_object_or_404(Enrolment, pk=pk)
    _course(request, enrolment.course_id)
    try:
        services.result_record(
            user=request.user,
            enrolment_id=enrolment.pk,
            result=request.POST.get("result", ""),
            score=request.POST.get("score", ""),
            ip=audit.client_ip(request),
        )
    except WorkflowError as exc:
        _report(request, exc)
    else:
        messages.success(request, _("Result recorded."))
    return _back(enrolment.course_id)


def summary_rows(summary) -> list[list]:
    """The rows of the XLSX summary (and of the page's summary table)."""
    rows = [
        [_("Course"), summary.course.title],
        [_("People holding a seat"), summary.seated],
        [
            _("Attendance rate (%)"),
            summary.attendance_rate if summary.attendance_rate is not None else "",
        ],
        [_("Pass rate (%)"), summary.pass_rate if summary.pass_rate is not None else ""],
        [],
        [_("Unit"), _("Seated"), _("Attended"), _("Passed"), _("Modules gained"), _("Gaps closed")],
    ]
    for line in summary.units:
        rows.append(
            [
                line.unit.name if line.unit else _("No unit"),
                line.seated,
                line.attended,
                line.passed,
                line.modules_gained,
                line.gaps_closed,
            ]
        )
    return rows


@require_GET
def course_export(request, pk):
    course = _course(request, pk)
    if not (services.is_organiser(request.user) or services.is_trainer(request.user, course)):
        raise PermissionDenied
    rows = summary_rows(selectors.course_summary(course))
    return exports.xlsx_table(f"khoa-dao-tao-{course.pk}.xlsx", _("Summary"), rows[0], rows[1:])


def my_courses_panel(request, person) -> str:
    """The person's courses on their IT skills page (only their own page shows them)."""
    if person.pk != request.user.pk:
        return ""
    return render_to_string(
        "training/my_courses.html",
        {"enrolments": selectors.person_courses(person), "today_withdraw": True},
        request=request,
    )


def plan_courses_panel(document) -> str:
    """The courses a plan's training tasks deliver, under the plan (read-only)."""
    courses = list(
        Course.objects.filter(plan_task__plan__document=document)
        .select_related("plan_task")
        .order_by("plan_task__position", "starts_on", "pk")
    )
    if not courses:
        return ""
    return render_to_string("training/plan_courses.html", {"courses": courses})
