"""The main menu each role must see, in Vietnamese, in order. Extend it as features land."""

from organisation import roles

HOME, WORK, PLANS, AUDIT, ADMIN = (
    "Trang chủ",
    "Việc của tôi",
    "Kế hoạch",
    "Nhật ký hoạt động",
    "Quản trị",
)
MENUS = {
    roles.CENTRE_DRAFTER: [HOME, WORK, PLANS],
    roles.PLANNING_REVIEWER: [HOME, WORK, PLANS],
    roles.PERSONNEL_DRAFTER: [HOME, WORK],
    roles.OFFICE_CLERK: [HOME, PLANS],
    roles.MINISTER: [HOME, WORK, PLANS],
    roles.VICE_MINISTER: [HOME, WORK, PLANS],
    roles.AUDITOR: [HOME, PLANS, AUDIT],
    roles.COUNCIL_MEMBER: [HOME, PLANS],
    roles.ADMINISTRATOR: [HOME, ADMIN],
}
