"""Report forms are defined in the admin until a form editor exists; submissions are only
read here (their state changes go through the services, which audit them)."""

from django.contrib import admin

from xaso.readonly_admin import ReadOnlyAdmin
from xaso.reporting.models import ReportForm, ReportFormItem, Submission, ValidationRule


class ItemInline(admin.TabularInline):
    model = ReportFormItem
    extra = 1
    autocomplete_fields = ["indicator"]


class RuleInline(admin.TabularInline):
    model = ValidationRule
    extra = 0


@admin.register(ReportForm)
class ReportFormAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "reviewer", "period_type", "deadline_rule", "active"]
    list_filter = ["period_type", "active"]
    search_fields = ["code", "name"]
    # Raw ids, not select boxes: a country has tens of thousands of units.
    raw_id_fields = ["reviewer", "reporter_units"]
    inlines = [ItemInline, RuleInline]


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ["form", "unit", "period", "status", "first_submitted_at", "reviewed_at"]
    list_filter = ["status", "form"]
    search_fields = ["unit__name", "period"]
