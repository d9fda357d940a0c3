from django.contrib import admin

from xaso.catalog.models import Indicator


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "unit", "rollup", "over_time", "direction", "group", "active"]
    list_filter = ["group", "rollup", "over_time", "active"]
    search_fields = ["code", "name"]
