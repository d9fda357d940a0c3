from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "xaso.web"
    verbose_name = "Giao diện web"
