"""Spreadsheets in and out (docs/exchange.md)."""

from django.urls import path

from xaso.exchange import sheet_views, views

app_name = "exchange"
urlpatterns = [
    path(
        "units/<str:code>/reports/<slug:form_code>/<str:period>/template.xlsx",
        views.template_download,
        name="template",
    ),
    path(
        "units/<str:code>/reports/<slug:form_code>/<str:period>/upload/",
        views.template_upload,
        name="upload",
    ),
    path(
        "units/<str:code>/figures/<str:period>.xlsx",
        views.table_export,
        {"kind": "xlsx"},
        name="table_xlsx",
    ),
    path(
        "units/<str:code>/figures/<str:period>.csv",
        views.table_export,
        {"kind": "csv"},
        name="table_csv",
    ),
    path("units/<str:code>/spreadsheet/", sheet_views.kept_sheet, name="kept_sheet"),
]
