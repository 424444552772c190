from django.urls import path

from . import views

app_name = "individual"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("people/<int:person_id>/", views.person, name="person"),
    path("units/<int:unit_id>/", views.unit, name="unit"),
    path("all/", views.everyone, name="everyone"),
    path("mail/", views.mail_import, name="mail_import"),
    path("mail/template.csv", views.mail_template, name="mail_template"),
]
