from django.urls import path

from xaso.groups import views

app_name = "groups"
urlpatterns = [
    path("units/<str:code>/groups/", views.unit_groups, name="unit"),
    path("units/<str:code>/groups/new/", views.group_new, name="new"),
    path("units/<str:code>/groups/import/", views.groups_upload, name="import"),
    path("units/<str:code>/groups/nhom-don-vi.xlsx", views.groups_sheet, name="sheet"),
    path("groups/<str:code>/", views.group_page, name="group"),
    path("groups/<str:code>/edit/", views.group_edit, name="edit"),
]
