from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "xaso.reporting"
    verbose_name = "Báo cáo định kỳ"
