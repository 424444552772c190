from django.urls import path

from . import views

app_name = "digitisation"

urlpatterns = [
    path("", views.batches, name="batches"),
    path("new/", views.batch_new, name="batch_new"),
    path("import/", views.batch_import, name="import"),
    path("template.xlsx", views.batch_template, name="template"),
    path("progress/", views.progress, name="progress"),
    path("progress.xlsx", views.progress_export, name="progress_export"),
    path("targets/", views.target_set, name="target_set"),
    path("<int:pk>/", views.batch, name="batch"),
    path("<int:pk>/check/", views.batch_check, name="check"),
    path("<int:pk>/redo/", views.batch_redo, name="redo"),
]
