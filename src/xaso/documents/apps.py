from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "xaso.documents"
    verbose_name = "Văn bản"
