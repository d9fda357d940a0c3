"""The public pages of a unit, open to anyone (included at the site's root)."""

from django.urls import path

from xaso.publishing import public_views as views

app_name = "public"
urlpatterns = [
    path("cong-khai/<str:code>/", views.unit_page, name="unit"),
    path("cong-khai/<str:code>/tin/<int:pk>/", views.article_page, name="article"),
    path("cong-khai/<str:code>/atom.xml", views.UnitFeed(), name="feed"),
]
