from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "xaso.groups"
    verbose_name = "Nhóm đơn vị: cụm, khối thi đua"
