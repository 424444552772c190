from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorktimeConfig(AppConfig):
    name = "worktime"
    verbose_name = _("Working days")
    default_auto_field = "django.db.models.BigAutoField"
