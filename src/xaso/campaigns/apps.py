from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "xaso.campaigns"
    verbose_name = "Phong trào thi đua"
