from django.urls import path

from . import views

app_name = "budgeting"

urlpatterns = [
    path("", views.estimate_list, name="list"),
    path("new/", views.estimate_create, name="create"),
    path("template.xlsx", views.estimate_template, name="template"),
    path("<int:pk>/edit/", views.estimate_edit, name="edit"),
    path("<int:pk>/export.xlsx", views.estimate_export, name="export"),
    path("<int:pk>/import/", views.estimate_import, name="import"),
]
