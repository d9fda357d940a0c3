from django.urls import path

from xaso.meetings import views

app_name = "meetings"
urlpatterns = [
    path("units/<str:code>/meetings/", views.meeting_list, name="list"),
    path("units/<str:code>/meetings/new/", views.meeting_new, name="new"),
    path("units/<str:code>/tasks/", views.tasks, name="tasks"),
    path("meetings/<int:pk>/", views.meeting_page, name="meeting"),
    path("tasks/<int:pk>/", views.directive_page, name="directive"),
]
