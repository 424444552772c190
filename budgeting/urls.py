from django.urls import path

from . import views

app_name = "budgeting"

urlpatterns = [
    path("", views.estimate_list, name="list"),
    path("new/", views.estimate_create, name="create"),
    path("<int:pk>/edit/", views.estimate_edit, name="edit"),
]
