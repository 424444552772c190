from django.urls import path

from . import views

app_name = "delegation"

urlpatterns = [
    path("", views.register, name="register"),
    path("new/", views.record, name="record"),
    path("<int:pk>/revoke/", views.revoke, name="revoke"),
]
