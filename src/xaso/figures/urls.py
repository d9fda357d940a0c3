from django.urls import path

from xaso.figures import history, plan_views, views

app_name = "figures"
urlpatterns = [
    path("<str:code>/history/", history.value_history, name="history"),
    path("<str:code>/", views.unit_page, name="unit"),
    path("<str:code>/entry/", views.entry, name="entry"),
    path("<str:code>/plan/", plan_views.plan_page, name="plan"),
    path("<str:code>/plan/<int:target_id>/allocate/", plan_views.allocation_page, name="allocate"),
    path(
        "<str:code>/plan/<int:target_id>/allocate.xlsx",
        plan_views.allocation_xlsx,
        name="allocation_xlsx",
    ),
]
