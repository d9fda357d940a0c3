"""The officers' article pages (included at the site's root)."""

from django.urls import path

from xaso.publishing import article_views as views

app_name = "articles"
urlpatterns = [
    path("units/<str:code>/articles/", views.unit_articles, name="list"),
    path("meetings/<int:pk>/article/", views.article_write, name="write"),
    path("articles/<int:pk>/", views.article_edit, name="edit"),
    path("articles/<int:pk>/publish/", views.article_publish, name="publish"),
    path("articles/<int:pk>/withdraw/", views.article_withdraw, name="withdraw"),
]
