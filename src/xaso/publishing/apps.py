from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "xaso.publishing"
    verbose_name = "Báo cáo và tin bài"
