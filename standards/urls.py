from django.urls import path

from . import views

app_name = "standards"

urlpatterns = [
    path("", views.standard_list, name="list"),
    path("new/", views.standard_create, name="create"),
    path("<int:pk>/edit/", views.standard_edit, name="edit"),
    path("groups/", views.group_list, name="groups"),
    path("groups/new/", views.group_edit, name="group_new"),
    path("groups/<str:code>/", views.group_edit, name="group_edit"),
]

# Compliance with the standard in force, and the certificates people hold.
from . import compliance_views  # noqa: E402

urlpatterns += [
    path("my-skills/", compliance_views.my_skills, name="my_skills"),
    path("compliance/", compliance_views.summary, name="compliance"),
    path(
        "compliance/export.csv",
        compliance_views.summary_export,
        {"fmt": "csv"},
        name="compliance_export_csv",
    ),
    path(
        "compliance/export.xlsx",
        compliance_views.summary_export,
        {"fmt": "xlsx"},
        name="compliance_export_xlsx",
    ),
    path("compliance/units/<str:code>/", compliance_views.unit_page, name="compliance_unit"),
    path(
        "compliance/units/<str:code>/export.csv",
        compliance_views.unit_export,
        {"fmt": "csv"},
        name="compliance_unit_csv",
    ),
    path(
        "compliance/units/<str:code>/export.xlsx",
        compliance_views.unit_export,
        {"fmt": "xlsx"},
        name="compliance_unit_xlsx",
    ),
    path(
        "compliance/people/<int:person_id>/",
        compliance_views.person_skills,
        name="person_skills",
    ),
    path("certificates/new/", compliance_views.certificate_new, name="certificate_new"),
    path(
        "certificates/<int:certificate_id>/delete/",
        compliance_views.certificate_delete,
        name="certificate_delete",
    ),
]
