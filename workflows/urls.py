from django.urls import path

from . import views

app_name = "workflows"

urlpatterns = [
    path("work/", views.my_work, name="my_work"),
    path("documents/", views.documents, name="documents"),
    path("documents/<int:pk>/", views.document_detail, name="document"),
    path("documents/<int:pk>/review/<int:task_pk>/", views.review, name="review"),
    path("documents/<int:pk>/sign/<int:task_pk>/", views.sign, name="sign"),
    path("documents/<int:pk>/issue/<int:task_pk>/", views.issue, name="issue"),
    path("documents/<int:pk>/act/<int:task_pk>/", views.act, name="act"),
    path("documents/<int:pk>/comment/", views.comment, name="comment"),
    path("documents/<int:pk>/take/<int:task_pk>/", views.take, name="take"),
    path("documents/<int:pk>/release/<int:task_pk>/", views.release, name="release"),
    path("documents/<int:pk>/due-date/", views.set_due_date, name="due_date"),
    path("documents/<int:pk>/compare/", views.compare, name="compare"),
    path("documents/<int:pk>/print/", views.print_view, name="print"),
    path("documents/<int:pk>/pdf/", views.document_pdf, name="pdf"),
    path("v/<str:token>/", views.verify_link, name="verify_link"),
    path("documents/<int:pk>/chart.svg", views.flow_chart, name="chart"),
]
