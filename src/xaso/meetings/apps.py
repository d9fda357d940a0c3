from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "xaso.meetings"
    verbose_name = "Hội nghị và nhiệm vụ"
