from django.urls import path

from . import views

app_name = "leave"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("unit/", views.unit, name="unit"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
]
