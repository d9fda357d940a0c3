from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "xaso.api"
    label = "api"
    verbose_name = "API"
