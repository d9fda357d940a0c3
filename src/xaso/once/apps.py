from django.apps import AppConfig


class OnceConfig(AppConfig):
    name = "xaso.once"
    verbose_name = "Chống gửi trùng"
