from django.contrib import admin

from workflows.admin import ReadOnlyAdmin

from .models import Leave


@admin.register(Leave)
class LeaveAdmin(ReadOnlyAdmin):
    """Read-only: leave is recorded and cancelled through its pages, which check roles
    and loops and write the audit trail."""

    list_display = ("person", "substitute", "starts_on", "ends_on", "hand_over", "cancelled_at")
    list_filter = ("hand_over",)
    search_fields = ("person__full_name", "substitute__full_name")
