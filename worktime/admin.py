from django.contrib import admin

from .models import DaySwap


@admin.register(DaySwap)
class DaySwapAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "reason")
    list_filter = ("kind",)
    date_hierarchy = "date"
    search_fields = ("reason",)
