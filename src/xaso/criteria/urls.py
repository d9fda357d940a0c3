from django.urls import path

from xaso.criteria import views

app_name = "criteria"
urlpatterns = [
    path("units/<str:code>/criteria/", views.unit_criteria, name="unit"),
    path(
        "units/<str:code>/criteria/<slug:set_code>/matrix/",
        views.matrix_page,
        name="matrix",
    ),
    path("criteria/", views.sets_page, name="sets"),
    path("criteria/<slug:set_code>/", views.set_page, name="set"),
    path("criteria/<slug:set_code>.xlsx", views.set_xlsx, name="set_xlsx"),
]
