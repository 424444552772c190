from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("", views.criteria_list, name="list"),
    path("new/", views.criteria_create, name="create"),
    path("<int:pk>/edit/", views.criteria_edit, name="edit"),
]
