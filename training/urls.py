from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("", views.course_list, name="list"),
    path("gaps/", views.gap_page, name="gaps"),
    path("new/", views.course_new, name="new"),
    path("<int:pk>/", views.course_page, name="course"),
    path("<int:pk>/enrol/", views.enrol, name="enrol"),
    path("<int:pk>/invite-proposed/", views.invite_proposed, name="invite_proposed"),
    path("<int:pk>/export.xlsx", views.course_export, name="export"),
    path("enrolments/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("enrolments/<int:pk>/result/", views.result, name="result"),
    path("sessions/<int:pk>/attendance/", views.attendance, name="attendance"),
]
