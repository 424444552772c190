import pytest
from playwright.sync_api import expect

from organisation import roles
from organisation.demo import DEMO_PASSWORD, PEOPLE
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLE_LABEL_VI = {
    roles.CENTRE_DRAFTER: "Cán bộ soạn thảo (Trung tâm Thông tin)",
    roles.PLANNING_REVIEWER: "Cán bộ thẩm định (Vụ Kế hoạch)",
    roles.PERSONNEL_DRAFTER: "Cán bộ soạn thảo (Vụ Tổ chức Cán bộ)",
    roles.OFFICE_CLERK: "Văn thư",
    roles.MINISTER: "Bộ trưởng, Chủ nhiệm",
    roles.VICE_MINISTER: "Thứ trưởng, Phó Chủ nhiệm",
    roles.AUDITOR: "Thanh tra viên",
    roles.COUNCIL_MEMBER: "Thành viên Hội đồng Thi đua - Khen thưởng",
    roles.ADMINISTRATOR: "Quản trị hệ thống",
}
UNIT_VI = {
    "TTTT": "Trung tâm Thông tin",
    "KH": "Vụ Kế hoạch",
    "TCCB": "Vụ Tổ chức Cán bộ",
    "VP": "Văn phòng Ủy ban",
    "LD": "Lãnh đạo Ủy ban",
    "TDKT": "Hội đồng Thi đua - Khen thưởng",
    "TTr": "Thanh tra Ủy ban",
}


def expected_menu(role: str) -> list[str]:
    """The menu each role must see: no more, no less."""
    from tests.browser.menus import MENUS

    return MENUS[role]


@pytest.mark.parametrize("person", PEOPLE, ids=[p[0] for p in PEOPLE])
def test_each_demo_role_sees_its_name_unit_role_and_only_its_menu(page, demo_org, person):
    username, full_name, unit_code, position, _position_en, role = person
    login(page, username, DEMO_PASSWORD)
    expect(page.get_by_test_id("person-name")).to_have_text(full_name)
    expect(page.get_by_test_id("person-unit")).to_have_text(UNIT_VI[unit_code])
    expect(page.get_by_test_id("person-position")).to_have_text(position)
    expect(page.get_by_test_id("person-roles")).to_have_text(ROLE_LABEL_VI[role])
    menu = page.get_by_test_id("main-menu").get_by_role("link")
    expect(menu).to_have_text(expected_menu(role))
    assert page.csp_errors == []


def test_wrong_password_shows_an_error(page, demo_org):
    login(page, "botruong", "not-the-password")
    expect(page.get_by_test_id("login-error")).to_contain_text("Sai tên đăng nhập hoặc mật khẩu")
    expect(page).to_have_url("/accounts/login/")


def test_lockout_after_the_configured_number_of_failures(page, demo_org, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(page, "thamdinh.kh", "wrong-password")
        expect(page.get_by_test_id("login-error")).to_be_visible()
    login(page, "thamdinh.kh", "wrong-password")
    lock = page.get_by_test_id("lockout-message")
    expect(lock).to_contain_text("bị khóa 15 phút")
    expect(lock).to_contain_text(f"sai {settings.AXES_FAILURE_LIMIT} lần")
    # The right password no longer gets in while locked.
    login_form_gone = page.get_by_label("Mật khẩu").count() == 0
    assert login_form_gone
    page.goto("/accounts/login/")
    login(page, "thamdinh.kh", DEMO_PASSWORD)
    expect(page.get_by_test_id("lockout-message")).to_be_visible()
    expect(page.get_by_test_id("person-name")).to_have_count(0)


def test_language_switch_turns_the_interface_english_and_back(page, demo_org):
    login(page, "botruong", DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Xin chào, Đỗ Văn Hải")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Đỗ Văn Hải")
    expect(page.get_by_test_id("person-unit")).to_have_text("Committee leadership")
    expect(page.get_by_test_id("person-roles")).to_have_text("Minister")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("button", name="Tiếng Việt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Xin chào, Đỗ Văn Hải")
    expect(page.locator("html")).to_have_attribute("lang", "vi")


def test_sign_out(page, demo_org):
    login(page, "thanhtra", DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page).to_have_url("/accounts/login/")
    page.goto("/")
    expect(page).to_have_url("/accounts/login/?next=/")


def test_layout_fits_a_phone(browser, live_server, demo_org):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 740}, locale="vi-VN"
    )
    page = context.new_page()
    login(page, "soanthao.tttt", DEMO_PASSWORD)
    expect(page.get_by_test_id("person-name")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    context.close()
