from django.contrib import admin

from xaso.org.models import Membership, OrgUnit


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "depth", "valid_from", "valid_to"]
    list_filter = ["kind", "depth"]
    search_fields = ["code", "name", "search_name"]
    readonly_fields = ["path", "depth", "numchild", "search_name"]

    def has_add_permission(self, request):
        # Units enter the tree through org.services (loaders, demo), which keep the path right.
        return False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "role"]
    list_filter = ["role"]
    autocomplete_fields = ["unit"]
