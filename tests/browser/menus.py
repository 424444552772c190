"""The main menu each role must see, in Vietnamese, in order. Extend it as features land."""

from organisation import roles

HOME, WORK, PLANS, ESTIMATES, STANDARDS, MY_SKILLS, LEAVE, AUDIT, ADMIN = (
    "Trang chủ",
    "Việc của tôi",
    "Kế hoạch",
    "Dự toán kinh phí",
    "Chuẩn kỹ năng",
    "Kỹ năng CNTT của tôi",
    "Nghỉ phép",
    "Nhật ký hoạt động",
    "Quản trị",
)
MENUS = {
    roles.CENTRE_DRAFTER: [HOME, WORK, PLANS, ESTIMATES, STANDARDS, MY_SKILLS, LEAVE],
    roles.PLANNING_REVIEWER: [HOME, WORK, PLANS, ESTIMATES, MY_SKILLS, LEAVE],
    roles.PERSONNEL_DRAFTER: [HOME, WORK, STANDARDS, MY_SKILLS, LEAVE],
    roles.OFFICE_CLERK: [HOME, PLANS, ESTIMATES, STANDARDS, MY_SKILLS],
    roles.MINISTER: [HOME, WORK, PLANS, ESTIMATES, STANDARDS, MY_SKILLS, LEAVE],
    roles.VICE_MINISTER: [HOME, WORK, PLANS, ESTIMATES, STANDARDS, MY_SKILLS, LEAVE],
    roles.AUDITOR: [HOME, PLANS, ESTIMATES, STANDARDS, MY_SKILLS, AUDIT],
    roles.COUNCIL_MEMBER: [HOME, PLANS, ESTIMATES, MY_SKILLS],
    roles.ADMINISTRATOR: [HOME, MY_SKILLS, LEAVE, ADMIN],
}
