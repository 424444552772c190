from django.contrib import admin
from django.shortcuts import redirect

from .models import NotificationPreference, ReminderLog, ReminderSettings


@admin.register(ReminderSettings)
class ReminderSettingsAdmin(admin.ModelAdmin):
    list_display = ("__str__", "days_before", "escalate_after", "leadership_unit")
    autocomplete_fields = ("leadership_unit",)

    def changelist_view(self, request, extra_context=None):
        """There is one row: go straight to it (created with the defaults if missing)."""
        if not self.has_view_or_change_permission(request):
            return super().changelist_view(request, extra_context)
        return redirect("admin:reminders_remindersettings_change", ReminderSettings.load().pk)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("person", "digest_only")
    list_filter = ("digest_only",)
    autocomplete_fields = ("person",)
    search_fields = ("person__full_name", "person__username")


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    """What the job sent: read-only, it is the job's memory of what not to send again."""

    list_display = ("day", "kind", "person", "document", "step", "due_on")
    list_filter = ("kind", "step", "day")
    date_hierarchy = "day"
    list_select_related = ("person", "document")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
