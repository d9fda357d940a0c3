from django.apps import AppConfig


class CriteriaConfig(AppConfig):
    name = "xaso.criteria"
    verbose_name = "Bộ tiêu chí"
