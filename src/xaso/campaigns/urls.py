from django.urls import path

from xaso.campaigns import closing_views, create_views, views

app_name = "campaigns"
urlpatterns = [
    path("units/<str:code>/campaigns/", views.unit_campaigns, name="unit"),
    path("units/<str:code>/campaigns/new/", create_views.campaign_new, name="new"),
    path("campaigns/<slug:code>/", views.campaign_page, name="campaign"),
    path("campaigns/<slug:code>/bulletin/", views.bulletin_page, name="bulletin"),
    path("campaigns/<slug:code>/tong-ket/", closing_views.closing_page, name="closing"),
    path(
        "campaigns/<slug:code>/tong-ket/quyet-dinh.docx",
        closing_views.decision_file,
        name="decision",
    ),
    path("campaigns/<slug:code>/tong-ket/bang-diem.xlsx", closing_views.scores_file, name="scores"),
    path("campaigns/<slug:code>/ket-thuc/", closing_views.close, name="close"),
    path("campaigns/<slug:code>/phat-dong/", create_views.launch, name="launch"),
]
