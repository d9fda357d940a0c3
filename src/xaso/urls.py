from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from xaso.web.views import home

urlpatterns = [
    path("", home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("units/", include("xaso.org.urls")),
    path("", include("xaso.meetings.urls")),
    path("units/", include("xaso.figures.urls")),
    path("documents/", include("xaso.documents.urls")),
    path("", include("xaso.reporting.urls")),
    path("", include("xaso.criteria.urls")),
    path("", include("xaso.campaigns.urls")),
    path("", include("xaso.groups.urls")),
    path("", include("xaso.publishing.report_urls")),
    path("", include("xaso.publishing.article_urls")),
    path("", include("xaso.publishing.public_urls")),
    path("", include("xaso.exchange.urls")),
    path("api/", include("xaso.api.urls")),
    path("admin/", admin.site.urls),
]
