"""The main menu each role must see, in Vietnamese, in order. Extend it as features land."""

from organisation import roles

HOME, WORK, PLANS, ESTIMATES, AUDIT, ADMIN = (
    "Trang chủ",
    "Việc của tôi",
    "Kế hoạch",
    "Dự toán kinh phí",
    "Nhật ký hoạt động",
    "Quản trị",
)
MENUS = {
    roles.CENTRE_DRAFTER: [HOME, WORK, PLANS, ESTIMATES],
    roles.PLANNING_REVIEWER: [HOME, WORK, PLANS, ESTIMATES],
    roles.PERSONNEL_DRAFTER: [HOME, WORK],
    roles.OFFICE_CLERK: [HOME, PLANS, ESTIMATES],
    roles.MINISTER: [HOME, WORK, PLANS, ESTIMATES],
    roles.VICE_MINISTER: [HOME, WORK, PLANS, ESTIMATES],
    roles.AUDITOR: [HOME, PLANS, ESTIMATES, AUDIT],
    roles.COUNCIL_MEMBER: [HOME, PLANS, ESTIMATES],
    roles.ADMINISTRATOR: [HOME, ADMIN],
}
