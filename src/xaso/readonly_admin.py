"""An admin page to look at, never to add to, change or delete from by hand: audit tables,
submissions, the lineage links (each has its own service or loader that checks what it
writes)."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
