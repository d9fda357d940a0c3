from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "xaso.catalog"
    verbose_name = "Danh mục chỉ tiêu"
