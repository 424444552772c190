"""Planning courses, enrolling people (invited by the organisers or nominated by their
unit's head) with a waiting list, withdrawals, attendance and results. A pass awards the
certificate for the course's modules, so compliance changes at once. Every write is an
audit event; every enrolment change holds the course's row lock, so capacity and the
waiting list stay right under concurrent clicks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organisation.models import Person
from organisation.text import clean
from planning.models import PlanTask
from standards import certificates
from standards.models import Module
from workflows import audit
from workflows.exceptions import ActionForbidden, InvalidInput, NotInScope
from workflows.formatting import grouped
from workflows.notifications import queue_mails
from worktime import calendar

from .models import Attendance, Course, Enrolment, Session

PERMISSION = "organisation.organise_training"
ISSUING_BODY = "Ủy ban Dân tộc (khóa đào tạo)"

CREATED = audit.register_action("training.course.created", gettext_lazy("Course planned"))
CLOSED = audit.register_action("training.course.closed", gettext_lazy("Course closed"))
ENROLLED = audit.register_action("training.enrolment.created", gettext_lazy("Person enrolled"))
WITHDRAWN = audit.register_action(
    "training.enrolment.withdrawn", gettext_lazy("Enrolment withdrawn")
)
PROMOTED = audit.register_action(
    "training.enrolment.promoted", gettext_lazy("Promoted from the waiting list")
)
ATTENDANCE = audit.register_action(
    "training.attendance.recorded", gettext_lazy("Attendance recorded")
)
RESULT = audit.register_action("training.result.recorded", gettext_lazy("Course result recorded"))

MAX_TITLE = Course._meta.get_field("title").max_length
MAX_CAPACITY = 10000
MAX_COST = 10**15


def is_organiser(user) -> bool:
    return user.is_authenticated and user.has_perm(PERMISSION)


def headed_unit_ids(user) -> frozenset[int]:
    from organisation.selectors import headed_unit_ids as headed

    return headed(user)


def is_trainer(user, course: Course) -> bool:
    return course.trainers.filter(pk=user.pk).exists()


def can_record(user, course: Course) -> bool:
    """The trainers and the organisers record attendance and results."""
    return is_organiser(user) or is_trainer(user, course)


def _course_data(course: Course) -> dict:
    return {"course": course.pk, "title": course.title}


def _person_data(person: Person) -> dict:
    return {
        "person": person.pk,
        "person_name": person.display_name,
        "unit": person.unit.code if person.unit_id else "",
    }


def _int(value, name: str, problems: list[str], *, low: int, high: int) -> int | None:
    try:
        number = int(str(value).replace(".", "").strip())
    except (TypeError, ValueError):
        problems.append(_("%(name)s must be a whole number.") % {"name": name})
        return None
    if not low <= number <= high:
        problems.append(
            _("%(name)s must be between %(low)s and %(high)s.")
            % {"name": name, "low": grouped(low), "high": grouped(high)}
        )
        return None
    return number


def course_create(
    *,
    user,
    title: str,
    module_codes: Iterable[str],
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    withdraw_until: dt.date | None,
    sessions: Iterable[tuple[dt.date, dt.time, dt.time]],
    capacity,
    cost=0,
    venue: str = "",
    online_link: str = "",
    trainer_ids: Iterable[int] = (),
    plan_task_id: int | None = None,
    ip: str | None = None,
) -> Course:
    """Plan a course. Every problem with the input is reported at once (InvalidInput)."""
    if not is_organiser(user):
        raise ActionForbidden
    problems: list[str] = []
    title = " ".join(clean(str(title or "")).split())
    if not title:
        problems.append(_("Give the course a title."))
    elif len(title) > MAX_TITLE:
        problems.append(_("The title may be at most %(n)s characters.") % {"n": MAX_TITLE})
    codes = sorted({str(c).strip().upper() for c in module_codes or [] if str(c).strip()})
    modules = list(Module.objects.filter(code__in=codes))
    if not modules or len(modules) != len(codes):
        problems.append(_("Choose the modules the course teaches."))
    if not starts_on or not ends_on:
        problems.append(_("Give the course's first and last day."))
    elif ends_on < starts_on:
        problems.append(_("The last day is before the first day."))
    if withdraw_until is None:
        problems.append(_("Give the last day people may withdraw."))
    elif ends_on and withdraw_until > ends_on:
        problems.append(_("Withdrawal must close by the course's last day."))
    sessions = sorted(sessions or [])
    if not sessions:
        problems.append(_("Give at least one session."))
    for day, start, end in sessions:
        if starts_on and ends_on and not starts_on <= day <= ends_on:
            problems.append(
                _("The session on %(date)s is outside the course's dates.")
                % {"date": day.strftime("%d/%m/%Y")}
            )
        if end <= start:
            problems.append(
                _("The session on %(date)s ends before it starts.")
                % {"date": day.strftime("%d/%m/%Y")}
            )
    if not clean(venue) and not clean(online_link):
        problems.append(_("Give a venue or an online link."))
    capacity = _int(capacity, _("Capacity"), problems, low=1, high=MAX_CAPACITY)
    cost = _int(cost or 0, _("Cost"), problems, low=0, high=MAX_COST)
    trainers = list(Person.objects.filter(pk__in=list(trainer_ids or []), is_active=True))
    if not trainers:
        problems.append(_("Choose at least one trainer."))
    task = None
    if plan_task_id:
        task = PlanTask.objects.filter(pk=plan_task_id).first()
        if task is None:
            problems.append(_("The plan task chosen does not exist."))
    if problems:
        raise InvalidInput(problems=problems)
    with transaction.atomic():
        course = Course.objects.create(
            title=title,
            plan_task=task,
            starts_on=starts_on,
            ends_on=ends_on,
            withdraw_until=withdraw_until,
            venue=clean(venue),
            online_link=clean(online_link),
            capacity=capacity,
            cost=cost,
            created_by=user,
        )
        course.modules.set(modules)
        course.trainers.set(trainers)
        Session.objects.bulk_create(
            Session(course=course, date=d, starts_at=s, ends_at=e) for d, s, e in sessions
        )
        audit.record(
            action=CREATED,
            actor=user,
            data={**_course_data(course), "modules": codes, "capacity": capacity, "cost": cost},
            ip=ip,
        )
    return course


def _locked_course(course_id) -> Course:
    course = Course.objects.select_for_update().filter(pk=course_id).first()
    if course is None:
        raise NotInScope
    return course


def enrolment_add(*, user, course_id: int, person_id: int, ip: str | None = None) -> Enrolment:
    """Invite (an organiser) or nominate (the head of the person's unit) someone. They
    take a seat while there is one, otherwise a place on the waiting list. Nobody is
    enrolled twice: the course's row lock orders concurrent requests, and the unique
    constraint backs it."""
    organiser = is_organiser(user)
    heads = headed_unit_ids(user)
    if not organiser and not heads:
        raise ActionForbidden
    person = Person.objects.select_related("unit").filter(pk=person_id, is_active=True).first()
    if person is None or (not organiser and person.unit_id not in heads):
        raise NotInScope  # a head nominates only their own staff
    with transaction.atomic():
        course = _locked_course(course_id)
        if course.status != Course.Status.PLANNED:
            raise InvalidInput(problems=[_("The course is closed: nobody can enrol any more.")])
        existing = Enrolment.objects.filter(course=course, person=person).first()
        if existing is not None and existing.status != Enrolment.Status.WITHDRAWN:
            raise InvalidInput(
                problems=[
                    _("%(name)s is already enrolled in this course.")
                    % {"name": person.display_name}
                ]
            )
        taken = Enrolment.objects.filter(course=course, status=Enrolment.Status.ENROLLED).count()
        status = Enrolment.Status.ENROLLED if taken < course.capacity else Enrolment.Status.WAITING
        if existing is not None:  # withdrew earlier, comes back at the end of the queue
            existing.status, existing.nominated_by = status, user
            existing.requested_at = timezone.now()
            existing.save(update_fields=["status", "nominated_by", "requested_at"])
            enrolment = existing
        else:
            try:
                with transaction.atomic():
                    enrolment = Enrolment.objects.create(
                        course=course, person=person, status=status, nominated_by=user
                    )
            except IntegrityError:
                raise InvalidInput(
                    problems=[
                        _("%(name)s is already enrolled in this course.")
                        % {"name": person.display_name}
                    ]
                ) from None
        audit.record(
            action=ENROLLED,
            actor=user,
            data={
                **_course_data(course),
                **_person_data(person),
                "status": status,
                "by": "organiser" if organiser else "unit_head",
            },
            ip=ip,
        )
    return enrolment


def can_withdraw(user, enrolment: Enrolment) -> bool:
    return (
        enrolment.person_id == user.pk
        or is_organiser(user)
        or enrolment.person.unit_id in headed_unit_ids(user)
    )


def enrolment_withdraw(*, user, enrolment_id: int, ip: str | None = None) -> Enrolment:
    """Withdraw (the person, their unit's head or an organiser) until the cut-off. A
    freed seat goes to the first person waiting."""
    enrolment = Enrolment.objects.select_related("person").filter(pk=enrolment_id).first()
    if enrolment is None or not (
        can_withdraw(user, enrolment) or is_trainer(user, enrolment.course)
    ):
        raise NotInScope
    if not can_withdraw(user, enrolment):
        raise ActionForbidden
    with transaction.atomic():
        course = _locked_course(enrolment.course_id)
        enrolment.refresh_from_db()
        if enrolment.status == Enrolment.Status.WITHDRAWN:
            raise InvalidInput(problems=[_("This enrolment is already withdrawn.")])
        if course.status != Course.Status.PLANNED or calendar.today() > course.withdraw_until:
            raise InvalidInput(
                problems=[
                    _("Withdrawal closed on %(date)s.")
                    % {"date": course.withdraw_until.strftime("%d/%m/%Y")}
                ]
            )
        had_seat = enrolment.status == Enrolment.Status.ENROLLED
        enrolment.status = Enrolment.Status.WITHDRAWN
        enrolment.save(update_fields=["status"])
        audit.record(
            action=WITHDRAWN,
            actor=user,
            data={**_course_data(course), **_person_data(enrolment.person)},
            ip=ip,
        )
        if had_seat:
            first = (
                Enrolment.objects.select_related("person__unit")
                .filter(course=course, status=Enrolment.Status.WAITING)
                .order_by("requested_at", "pk")
                .first()
            )
            if first is not None:
                first.status = Enrolment.Status.ENROLLED
                first.save(update_fields=["status"])
                audit.record(
                    action=PROMOTED,
                    actor=user,
                    data={**_course_data(course), **_person_data(first.person)},
                    ip=ip,
                )
    return enrolment


def _recordable_course(user, course_id) -> Course:
    course = Course.objects.filter(pk=course_id).first()
    if course is None:
        raise NotInScope
    if not can_record(user, course):
        raise ActionForbidden
    return course


def attendance_record(
    *, user, session_id: int, present_ids: Iterable[int], ip: str | None = None
) -> int:
    """Who of the enrolled people attended a session (the others were absent). Returns
    the number present."""
    session = Session.objects.filter(pk=session_id).first()
    if session is None:
        raise NotInScope
    course = _recordable_course(user, session.course_id)
    present = {int(p) for p in present_ids}
    with transaction.atomic():
        enrolments = list(Enrolment.objects.filter(course=course, status=Enrolment.Status.ENROLLED))
        Attendance.objects.filter(session=session).delete()
        Attendance.objects.bulk_create(
            Attendance(enrolment=e, session=session, present=e.person_id in present)
            for e in enrolments
        )
        count = sum(e.person_id in present for e in enrolments)
        audit.record(
            action=ATTENDANCE,
            actor=user,
            data={
                **_course_data(course),
                "session": session.pk,
                "date": session.date.isoformat(),
                "present": count,
                "enrolled": len(enrolments),
            },
            ip=ip,
        )
    return count


def _score(value, problems) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        score = Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        problems.append(_("The score must be a number from 0 to 100."))
        return None
    if not score.is_finite() or not 0 <= score <= 100:
        problems.append(_("The score must be a number from 0 to 100."))
        return None
    return score.quantize(Decimal("0.01"))


def result_record(
    *, user, enrolment_id: int, result: str, score=None, ip: str | None = None
) -> Enrolment:
    """A person's result. A pass awards the certificate for the course's modules (source:
    the course); a pass changed to a fail removes it. The course closes when every
    enrolled person has a result."""
    enrolment = Enrolment.objects.select_related("person__unit").filter(pk=enrolment_id).first()
    if enrolment is None:
        raise NotInScope
    course = _recordable_course(user, enrolment.course_id)
    problems: list[str] = []
    if result not in (Enrolment.Result.PASSED, Enrolment.Result.FAILED):
        problems.append(_("Choose passed or failed."))
    score = _score(score, problems)
    if problems:
        raise InvalidInput(problems=problems)
    with transaction.atomic():
        course = _locked_course(course.pk)
        enrolment.refresh_from_db()
        if course.status != Course.Status.PLANNED:
            raise InvalidInput(problems=[_("The course is closed: its results are final.")])
        if enrolment.status != Enrolment.Status.ENROLLED:
            raise InvalidInput(problems=[_("Only people holding a seat get a result.")])
        enrolment.result, enrolment.score = result, score
        if result == Enrolment.Result.PASSED and enrolment.certificate_id is None:
            enrolment.certificate = certificates.certificate_award(
                recorded_by=user,
                person=enrolment.person,
                module_codes=course.modules.values_list("code", flat=True),
                issued_on=calendar.today(),
                issuing_body=ISSUING_BODY,
                number=f"KDT-{course.pk}-{enrolment.person_id}",
                source=course.source,
            )
        elif result == Enrolment.Result.FAILED and enrolment.certificate_id is not None:
            certificate = enrolment.certificate
            enrolment.certificate = None
            enrolment.save(update_fields=["certificate"])
            certificate.delete()
        enrolment.save(update_fields=["result", "score", "certificate"])
        audit.record(
            action=RESULT,
            actor=user,
            data={
                **_course_data(course),
                **_person_data(enrolment.person),
                "result": result,
                "score": str(score) if score is not None else "",
            },
            ip=ip,
        )
        _close_if_complete(user, course, ip)
    return enrolment


def _close_if_complete(user, course: Course, ip) -> None:
    seated = Enrolment.objects.filter(course=course, status=Enrolment.Status.ENROLLED)
    if seated.exists() and not seated.filter(result="").exists():
        course.status, course.closed_on = Course.Status.CLOSED, calendar.today()
        course.save(update_fields=["status", "closed_on"])
        # Nobody is left waiting on a closed course.
        Enrolment.objects.filter(course=course, status=Enrolment.Status.WAITING).update(
            status=Enrolment.Status.WITHDRAWN
        )
        audit.record(action=CLOSED, actor=user, data=_course_data(course), ip=ip)


def reminders_queue(*, day: dt.date | None = None) -> int:
    """Mail everyone holding a seat about their sessions of the next day. The key names
    the session and the person, so a second run sends nothing again."""
    day = (day or calendar.today()) + dt.timedelta(days=1)
    mails = []
    sessions = Session.objects.filter(
        date=day, course__status=Course.Status.PLANNED
    ).select_related("course")
    for session in sessions:
        course = session.course
        for enrolment in course.enrolments.filter(status=Enrolment.Status.ENROLLED).select_related(
            "person"
        ):
            if not enrolment.person.email:
                continue
            mails.append(
                {
                    "key": f"training:session:{session.pk}:p:{enrolment.person_id}",
                    "to": [enrolment.person.email],
                    "subject": _("Training tomorrow: %(title)s") % {"title": course.title},
                    "body": _(
                        "Your session of “%(title)s” is on %(date)s from %(start)s to "
                        "%(end)s, at %(place)s."
                    )
                    % {
                        "title": course.title,
                        "date": session.date.strftime("%d/%m/%Y"),
                        "start": session.starts_at.strftime("%H:%M"),
                        "end": session.ends_at.strftime("%H:%M"),
                        "place": course.venue or course.online_link,
                    },
                }
            )
    if mails:
        with transaction.atomic():
            queue_mails(mails)
    return len(mails)
