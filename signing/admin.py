from django.contrib import admin

from workflows.admin import ReadOnlyAdmin

from .models import AuditCheckpoint


@admin.register(AuditCheckpoint)
class AuditCheckpointAdmin(ReadOnlyAdmin):
    """Shown, never edited: an edited row would only fail its own signature."""

    list_display = ("day", "count", "head_hash", "signed_at")
    exclude = ("signature",)
