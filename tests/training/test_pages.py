"""The pages show what the selectors compute, and the reports read the same figures
through reporting.sources; the XLSX summary, the person's courses on "My IT skills",
the courses under a plan, planning a course through the form, and the reminders."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from outbox.models import Mail
from planning.models import PlanTask
from reporting import sources
from tests.standards.conftest import client_for
from tests.training.conftest import CENTRE, HEAD_KH, KH_STAFF, ORGANISER, TRAINER, make_course
from tests.workflows import helpers as h
from training import selectors, services
from training.models import Course
from worktime import calendar

pytestmark = pytest.mark.usefixtures("heads")


def finished_course():
    """Two of KH seated, one present at every session; one passes, one fails."""
    course = make_course(capacity=2)
    seats = [
        services.enrolment_add(
            user=h.person(HEAD_KH), course_id=course.pk, person_id=h.person(u).pk
        )
        for u in KH_STAFF[:2]
    ]
    trainer = h.person(TRAINER)
    for s in course.sessions.all():
        services.attendance_record(user=trainer, session_id=s.pk, present_ids=[seats[0].person_id])
    services.result_record(user=trainer, enrolment_id=seats[0].pk, result="passed", score=90)
    services.result_record(user=trainer, enrolment_id=seats[1].pk, result="failed", score=20)
    course.refresh_from_db()
    assert course.status == Course.Status.CLOSED
    return course, seats


def test_the_summary_page_export_and_reports_show_the_same_figures():
    course, seats = finished_course()
    summary = selectors.course_summary(course)
    page = client_for(ORGANISER).get(reverse("training:course", args=[course.pk]))
    html = page.content.decode()
    assert summary.attendance_rate == 50.0  # one of two present at both sessions
    assert 'data-testid="attendance-rate">50,0' in html
    assert 'data-testid="pass-rate">50,0' in html
    assert f'data-testid="gaps-closed">{summary.gaps_closed}<' in html
    assert summary.gaps_closed == 1  # IU01, which the standard requires of a specialist

    export = client_for(TRAINER).get(reverse("training:export", args=[course.pk]))
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[2][1] == summary.attendance_rate == 50.0
    assert rows[3][1] == summary.pass_rate == 50.0
    unit_row = next(r for r in rows if r[0] == "Planning Department")
    assert unit_row[1:6] == [2, 1, 1, 1, 1]

    today = calendar.today()
    by_unit = sources.figures(sources.TRAINING_BY_UNIT, start=today, end=today, unit_ids=None)
    kh = h.person(KH_STAFF[0]).unit_id
    assert by_unit[kh] == {
        "people_trained": 1,
        "modules_gained": summary.units[0].modules_gained,
        "gaps_closed": summary.gaps_closed,
        "courses": 1,
    }
    by_person = sources.figures(sources.TRAINING_BY_PERSON, start=today, end=today, person_ids=None)
    assert by_person[seats[0].person_id] == {
        "courses_attended": 1,
        "courses_passed": 1,
        "modules_gained": 1,
    }
    assert by_person[seats[1].person_id]["courses_passed"] == 0
    # The course counts alone (one query) are the same as the full figures'.
    counts = sources.figures(sources.TRAINING_COURSES_BY_PERSON, start=today, end=today)
    assert counts == {
        seat.person_id: {
            "courses_attended": by_person[seat.person_id]["courses_attended"],
            "courses_passed": by_person[seat.person_id]["courses_passed"],
        }
        for seat in seats
    }
    assert counts[seats[1].person_id] == {"courses_attended": 0, "courses_passed": 0}
    # Outside the period: nothing.
    yesterday = today - dt.timedelta(days=1)
    assert sources.figures(sources.TRAINING_BY_UNIT, start=yesterday, end=yesterday) == {}
    assert sources.figures(sources.TRAINING_COURSES_BY_PERSON, start=yesterday, end=yesterday) == {}


def test_my_it_skills_shows_the_course_and_the_new_certificate():
    course, seats = finished_course()
    html = client_for(KH_STAFF[0]).get(reverse("standards:my_skills")).content.decode()
    mine = html.split('data-testid="my-courses"')[1]
    assert course.title in mine and "Passed" in mine
    assert f"KDT-{course.pk}-{seats[0].person_id}" in html  # the certificate
    gap = html.split('data-testid="gap"')[1].split("</dd>")[0]
    assert "IU01" not in gap
    # Another person's page (the Personnel Department's view) does not list their courses.
    other = client_for(ORGANISER).get(reverse("standards:person_skills", args=[seats[0].person_id]))
    assert 'data-testid="my-courses"' not in other.content.decode()


def test_the_gap_page_counts_by_unit_and_group_and_proposes_people():
    html = client_for(CENTRE).get(reverse("training:gaps")).content.decode()
    iu01 = html.split('data-testid="gap-IU01"')[1].split("</section>")[0]
    gap = next(g for g in selectors.gaps() if g.module.code == "IU01")
    assert f'data-testid="lacking">{gap.lacking}<' in iu01
    assert "Planning Department</td><td>5<" in iu01
    for person in gap.proposed[:30]:
        assert person.display_name in iu01


def test_planning_a_course_through_the_form():
    start = calendar.today() + dt.timedelta(days=20)
    data = {
        "title": "Sử dụng phần mềm văn phòng",
        "modules": ["IU03"],
        "starts_on": start.strftime("%d/%m/%Y"),
        "ends_on": start.strftime("%d/%m/%Y"),
        "withdraw_until": start.strftime("%d/%m/%Y"),
        "sessions": f"{start:%d/%m/%Y} 08:00-11:30\n{start:%d/%m/%Y} 13:30-16:30",
        "venue": "Hội trường",
        "capacity": "30",
        "cost": "25000000",
        "trainers": [h.person(TRAINER).pk],
    }
    client = client_for(ORGANISER)
    response = client.post(reverse("training:new"), data)
    assert response.status_code == 302
    course = Course.objects.get(title=data["title"])
    assert course.sessions.count() == 2
    html = client.get(response["Location"]).content.decode()
    assert "25.000.000 đồng" in html
    bad = client.post(reverse("training:new"), {**data, "sessions": "tomorrow morning"})
    assert bad.status_code == 400
    late = client.post(
        reverse("training:new"),
        {
            **data,
            "title": "Other",
            "sessions": f"{start + dt.timedelta(days=3):%d/%m/%Y} 08:00-09:00",
        },
    )
    assert late.status_code == 400 and "outside the course" in late.content.decode()


def test_the_plan_page_lists_the_courses_of_its_training_tasks():
    document = h.make_plan("draft")
    task = PlanTask.objects.filter(plan__document=document).first()
    task.category = "training"
    task.save(update_fields=["category"])
    course = make_course(plan_task_id=task.pk)
    html = client_for(CENTRE).get(reverse("workflows:document", args=[document.pk])).content
    html = html.decode()
    panel = html.split('data-testid="plan-courses"')[1]
    assert course.title in panel and task.name in panel


def test_reminders_go_once_per_person_and_session():
    course = make_course(days=1)  # first session tomorrow
    services.enrolment_add(
        user=h.person(ORGANISER), course_id=course.pk, person_id=h.person(KH_STAFF[0]).pk
    )
    assert services.reminders_queue() == 1
    services.reminders_queue()
    mails = Mail.objects.filter(key__startswith="training:session:")
    assert mails.count() == 1
    assert course.title in mails.get().subject
