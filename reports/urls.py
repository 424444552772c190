from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/send/", views.send, name="send"),
    path("<int:pk>/charts/<slug:name>.svg", views.chart, name="chart"),
    path("<int:pk>/export.xlsx", views.xlsx, name="xlsx"),
    path("<int:pk>/export.pdf", views.pdf, name="pdf"),
]
