"""The main menu each role must see, in Vietnamese, in order. Extend it as features land."""

from organisation import roles

_HOME = "Trang chủ"
MENUS = {
    roles.CENTRE_DRAFTER: [_HOME],
    roles.PLANNING_REVIEWER: [_HOME],
    roles.PERSONNEL_DRAFTER: [_HOME],
    roles.OFFICE_CLERK: [_HOME],
    roles.MINISTER: [_HOME],
    roles.VICE_MINISTER: [_HOME],
    roles.AUDITOR: [_HOME],
    roles.COUNCIL_MEMBER: [_HOME],
    roles.ADMINISTRATOR: [_HOME, "Quản trị"],
}
