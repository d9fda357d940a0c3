from django.urls import path

from xaso.org import views

app_name = "org"
urlpatterns = [path("", views.tree, name="tree")]
