from django.urls import path

from . import views

app_name = "followup"

urlpatterns = [
    path("", views.page, name="page"),
    path("export.xlsx", views.export_xlsx, name="export"),
    path("units/<int:unit_id>/remind/", views.remind_unit, name="remind_unit"),
    path("documents/<int:pk>/remind/", views.remind_document, name="remind_document"),
]
