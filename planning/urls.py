from django.urls import path

from . import views

app_name = "planning"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/", views.plan_create, name="create"),
    path("<int:pk>/edit/", views.plan_edit, name="edit"),
    path("guidance/", views.guidance_list, name="guidance_list"),
    path("guidance/new/", views.guidance_edit, name="guidance_new"),
    path("guidance/<int:year>/", views.guidance_detail, name="guidance"),
    path("guidance/<int:year>/edit/", views.guidance_edit, name="guidance_edit"),
    path("guidance/<int:year>/publish/", views.guidance_publish, name="guidance_publish"),
]
