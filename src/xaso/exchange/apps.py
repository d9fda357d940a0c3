from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "xaso.exchange"
    verbose_name = "Trao đổi dữ liệu"
