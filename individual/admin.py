from django.contrib import admin

from .models import IndicatorMeasure, MailImport


@admin.register(IndicatorMeasure)
class IndicatorMeasureAdmin(admin.ModelAdmin):
    list_display = ("indicator_code", "measure")


@admin.register(MailImport)
class MailImportAdmin(admin.ModelAdmin):
    """Read-only: statistics enter only through the audited import."""

    list_display = ("__str__", "file_name", "accounts", "imported_by", "imported_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
