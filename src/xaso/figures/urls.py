from django.urls import path

from xaso.figures import history, views

app_name = "figures"
urlpatterns = [
    path("<str:code>/history/", history.value_history, name="history"),
    path("<str:code>/", views.unit_page, name="unit"),
    path("<str:code>/entry/", views.entry, name="entry"),
]
