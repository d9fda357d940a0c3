from django.apps import AppConfig


class FiguresConfig(AppConfig):
    name = "xaso.figures"
    verbose_name = "Chỉ tiêu và kết quả"
