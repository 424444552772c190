"""Training in real Chromium: the Personnel drafter plans a course from a gap, the head
of the Planning Department nominates two of their staff, the trainer records attendance
and results, and the person's "My IT skills" shows the new certificate and the gap
closed."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from organisation.demo import DEMO_PASSWORD
from organisation.models import Unit
from standards.demo import load_groups
from tests.browser.conftest import login, logout
from tests.factories import PASSWORD
from tests.standards.conftest import issue_standard
from tests.training.conftest import HEAD_KH, KH_STAFF, TRAINER, staff_member
from training.models import Course
from worktime import calendar

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_course_from_gap_to_certificate(page, demo_org, vice_minister_delegation):
    load_groups()
    issue_standard()
    head = staff_member(HEAD_KH, "KH", "LANHDAO_VU")
    Unit.objects.filter(code="KH").update(head=head)
    staff = [staff_member(u, "KH") for u in KH_STAFF[:2]]
    trainer = staff_member(TRAINER, "TTTT", "CNTT")
    start = calendar.today() + dt.timedelta(days=7)

    # The Personnel drafter plans a course for IU01 from the gap page.
    login(page, "soanthao.tccb", DEMO_PASSWORD)
    page.get_by_role("link", name="Đào tạo").first.click()
    page.get_by_test_id("gaps-link").click()
    expect(page.get_by_test_id("gap-IU01")).to_contain_text(staff[0].display_name)
    page.get_by_test_id("plan-IU01").click()
    expect(page.locator("input[name=modules][value=IU01]")).to_be_checked()
    page.locator("#id_title").fill("Khai thác Internet cơ bản")
    for field in ("starts_on", "ends_on", "withdraw_until"):
        page.locator(f"#id_{field}").fill(start.strftime("%d/%m/%Y"))
    page.locator("#id_sessions").fill(f"{start:%d/%m/%Y} 08:00-11:30")
    page.locator("#id_venue").fill("Phòng họp tầng 3")
    page.locator("#id_capacity").fill("2")
    page.locator("#id_cost").fill("12500000")
    page.locator("#id_trainers").select_option(str(trainer.pk))
    page.get_by_test_id("course-form").locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/training/\d+/$"))
    expect(page.get_by_test_id("cost")).to_have_text("12.500.000 đồng")
    course_url = page.url
    logout(page)

    # The head of the Planning Department nominates two of their staff.
    login(page, HEAD_KH, PASSWORD)
    page.goto(course_url)
    for person in staff:
        page.locator("#id_person").select_option(str(person.pk))
        page.get_by_test_id("enrol-submit").click()
        expect(page.get_by_test_id(f"seat-{person.username}")).to_be_visible()
    expect(page.get_by_test_id("capacity")).to_have_text("2/2")
    logout(page)

    # The trainer records attendance and results.
    login(page, TRAINER, PASSWORD)
    page.goto(course_url)
    attendance = page.locator("form[data-testid^=attendance-]").first
    for box in attendance.locator("input[name=present]").all():
        box.check()
    attendance.locator("button[type=submit]").click()
    for person, result in zip(staff, ("passed", "failed"), strict=True):
        row = page.get_by_test_id(f"seat-{person.username}")
        row.locator("select[name=result]").select_option(result)
        row.locator("input[name=score]").fill("85" if result == "passed" else "30")
        row.locator("form[action*='/result/'] button").click()
    expect(page.get_by_test_id("pass-rate")).to_have_text("50,0")
    expect(page.get_by_test_id("attendance-rate")).to_have_text("100,0")
    assert Course.objects.get().status == Course.Status.CLOSED
    logout(page)

    # The person who passed sees the certificate and the gap closed.
    login(page, staff[0].username, PASSWORD)
    page.goto("/standards/my-skills/")
    expect(page.get_by_test_id("certificates")).to_contain_text("KDT-")
    expect(page.get_by_test_id("held")).to_contain_text("IU01")
    expect(page.get_by_test_id("gap")).not_to_contain_text("IU01")
    expect(page.get_by_test_id("my-courses")).to_contain_text("Khai thác Internet cơ bản")
    assert not page.csp_errors
