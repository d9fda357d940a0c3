from django.urls import path

from xaso.publishing import report_views

app_name = "reports"
urlpatterns = [
    path("units/<str:code>/write-report/", report_views.report_page, name="page"),
]
