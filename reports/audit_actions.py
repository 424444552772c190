from django.utils.translation import gettext_lazy as _

from workflows import audit

DRAFTED = audit.register_action("reports.report.drafted", _("Periodic report drafted"))
COMMENTED = audit.register_action("reports.report.commented", _("Periodic report commentary saved"))
SENT = audit.register_action("reports.report.sent", _("Periodic report sent"))
