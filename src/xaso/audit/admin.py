"""The audit trail in the admin, read-only; users deactivated there, not deleted."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db import transaction

from xaso.audit.models import Action, AuditEntry, Entity
from xaso.audit.selectors import has_history
from xaso.audit.services import audit_record, user_deactivate

# The results' trail lives in figures; its admin page is here with the rest of the trail.
# (Only this admin module looks upward; nothing imports it.)
from xaso.figures.models import ResultChange
from xaso.readonly_admin import ReadOnlyAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["changed_at", "entity", "object_id", "action", "unit", "changed_by", "channel"]
    list_filter = ["entity", "action", "channel"]
    list_select_related = ["unit", "changed_by"]
    date_hierarchy = "changed_at"
    search_fields = ["reason", "unit__code", "changed_by__username"]


@admin.register(ResultChange)
class ResultChangeAdmin(ReadOnlyAdmin):
    list_display = [
        "changed_at",
        "unit",
        "indicator",
        "period",
        "old_value",
        "new_value",
        "changed_by",
        "channel",
    ]
    list_filter = ["channel"]
    list_select_related = ["unit", "indicator", "changed_by"]
    date_hierarchy = "changed_at"
    search_fields = ["unit__code", "indicator__code", "period"]


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)

# Admin changes of these flags are role changes: audited.
WATCHED = ("is_active", "is_staff", "is_superuser")


@admin.register(User)
class XasoUserAdmin(UserAdmin):
    """Users who appear in the audit trail are deactivated, never deleted."""

    actions = ["deactivate"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # deactivate instead
        return actions

    def has_delete_permission(self, request, obj=None):
        if obj is not None and has_history(obj):
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(description="Ngừng kích hoạt người dùng đã chọn", permissions=["change"])
    def deactivate(self, request, queryset):
        done = 0
        for user in queryset.filter(is_active=True).order_by("pk"):
            if user.pk == request.user.pk:
                self.message_user(
                    request, "Không thể tự ngừng kích hoạt tài khoản của mình.", messages.WARNING
                )
                continue
            user_deactivate(user=user, by=request.user, channel="admin")
            done += 1
        self.message_user(request, f"Đã ngừng kích hoạt {done} người dùng.", messages.SUCCESS)

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        changed = [f for f in WATCHED if change and f in form.changed_data]
        deactivating = "is_active" in changed and not obj.is_active
        if deactivating:  # through the one service that deactivates
            obj.is_active = True
            changed.remove("is_active")
        super().save_model(request, obj, form, change)
        if changed:
            audit_record(
                entity=Entity.USER,
                object_id=obj.pk,
                action=Action.UPDATE,
                old={f: bool(form.initial.get(f)) for f in changed},
                new={f: getattr(obj, f) for f in changed},
                user=request.user,
                channel="admin",
            )
        if deactivating:
            user_deactivate(user=obj, by=request.user, channel="admin")
