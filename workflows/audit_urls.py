from django.urls import path

from . import audit_views

app_name = "audit"

urlpatterns = [
    path("", audit_views.trail, name="trail"),
    path("documents/<int:pk>/", audit_views.document_timeline, name="document"),
    path("export.csv", audit_views.export_csv, name="export_csv"),
    path("export.xlsx", audit_views.export_xlsx, name="export_xlsx"),
]
