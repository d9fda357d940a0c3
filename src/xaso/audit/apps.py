from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "xaso.audit"
    verbose_name = "Nhật ký thay đổi"
