from django.urls import path

from xaso.campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("units/<str:code>/campaigns/", views.unit_campaigns, name="unit"),
    path("campaigns/<slug:code>/", views.campaign_page, name="campaign"),
    path("campaigns/<slug:code>/bulletin/", views.bulletin_page, name="bulletin"),
]
