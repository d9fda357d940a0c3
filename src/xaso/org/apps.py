from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "xaso.org"
    verbose_name = "Tổ chức"
