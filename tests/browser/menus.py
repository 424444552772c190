"""The main menu each role must see, in Vietnamese, in order. Extend it as features land."""

from organisation import roles

(
    HOME,
    WORK,
    PLANS,
    ESTIMATES,
    STANDARDS,
    MY_SKILLS,
    DASHBOARD,
    FOLLOWUP,
    DELEGATIONS,
    AUDIT,
    ADMIN,
) = (
    "Trang chủ",
    "Việc của tôi",
    "Kế hoạch",
    "Dự toán kinh phí",
    "Chuẩn kỹ năng",
    "Kỹ năng CNTT của tôi",
    "Tiến độ xử lý văn bản",
    "Theo dõi, đôn đốc",
    "Ủy quyền ký",
    "Nhật ký hoạt động",
    "Quản trị",
)
MENUS = {
    roles.CENTRE_DRAFTER: [HOME, WORK, PLANS, ESTIMATES, STANDARDS, MY_SKILLS, DASHBOARD],
    roles.PLANNING_REVIEWER: [HOME, WORK, PLANS, ESTIMATES, MY_SKILLS],
    roles.PERSONNEL_DRAFTER: [HOME, WORK, STANDARDS, MY_SKILLS],
    roles.OFFICE_CLERK: [
        HOME,
        PLANS,
        ESTIMATES,
        STANDARDS,
        MY_SKILLS,
        DASHBOARD,
        FOLLOWUP,
        DELEGATIONS,
    ],
    roles.MINISTER: [HOME, WORK, PLANS, ESTIMATES, STANDARDS, MY_SKILLS, DASHBOARD, DELEGATIONS],
    roles.VICE_MINISTER: [
        HOME,
        WORK,
        PLANS,
        ESTIMATES,
        STANDARDS,
        MY_SKILLS,
        DASHBOARD,
        DELEGATIONS,
    ],
    roles.AUDITOR: [HOME, PLANS, ESTIMATES, STANDARDS, MY_SKILLS, DELEGATIONS, AUDIT],
    roles.COUNCIL_MEMBER: [HOME, PLANS, ESTIMATES, MY_SKILLS],
    roles.ADMINISTRATOR: [HOME, MY_SKILLS, DELEGATIONS, ADMIN],
}
