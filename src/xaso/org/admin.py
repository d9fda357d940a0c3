from django.contrib import admin
from django.db import transaction

from xaso.org.models import Lineage, LineageShare, Membership, OrgUnit
from xaso.org.services import membership_grant, membership_revoke
from xaso.readonly_admin import ReadOnlyAdmin


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
    """Role grants go through org.services here too, so every change is audited (path admin)."""

    list_display = ["user", "unit", "role"]
    list_filter = ["role"]
    autocomplete_fields = ["unit"]

    def get_readonly_fields(self, request, obj=None):
        # A grant's user and unit are who and where; to move it, revoke it and grant anew.
        return ["user", "unit"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        saved = membership_grant(
            user=obj.user, unit=obj.unit, role=obj.role, by=request.user, channel="admin"
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        membership_revoke(user=obj.user, unit=obj.unit, by=request.user, channel="admin")

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("user", "unit"):
            self.delete_model(request, membership)


class LineageShareInline(admin.TabularInline):
    """The shares the province set per indicator: shown here, set with `xaso lineage-share`
    (which checks that a predecessor's shares add up to 1)."""

    model = LineageShare
    fields = ["indicator", "share", "basis", "set_by", "set_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Lineage)
class LineageAdmin(ReadOnlyAdmin):
    """The links of the tree through time, to read: they are loaded (`xaso load-admin-units
    --history`, the demo) or recorded by the lineage commands, never typed here."""

    list_display = ["predecessor", "successor", "kind", "date", "share"]
    list_filter = ["kind", "date"]
    search_fields = ["predecessor__name", "predecessor__code", "successor__name", "successor__code"]
    list_select_related = ["predecessor", "successor"]
    inlines = [LineageShareInline]
