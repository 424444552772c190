from django.urls import path

from . import views

app_name = "issuance"

urlpatterns = [
    path("", views.incoming, name="incoming"),
    path("<int:pk>/pdf/", views.incoming_pdf, name="pdf"),
    path("<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
]
