from django.urls import path

from xaso.reporting import views

app_name = "reporting"
urlpatterns = [
    path("units/<str:code>/reports/", views.unit_reports, name="unit_reports"),
    path(
        "units/<str:code>/reports/<slug:form_code>/completeness/",
        views.completeness_page,
        name="completeness",
    ),
    path(
        "units/<str:code>/reports/<slug:form_code>/<str:period>/",
        views.sheet_page,
        name="sheet",
    ),
    path("reports/submissions/<int:pk>/", views.submission_page, name="submission"),
]
