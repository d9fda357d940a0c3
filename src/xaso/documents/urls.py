from django.urls import path

from xaso.documents import views

app_name = "documents"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("<int:pk>/", views.review, name="review"),
    path("<int:pk>/confirm-targets/", views.confirm_targets, name="confirm_targets"),
]
