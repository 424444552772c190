from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:year>/", views.cycle, name="cycle"),
    path("<int:year>/ranking/", views.ranking, name="ranking"),
    path("assessment/<int:pk>/", views.assessment, name="assessment"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence"),
]
