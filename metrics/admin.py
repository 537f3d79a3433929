from django.contrib import admin

from metrics.models import KpiSnapshot, RecomputeRun


@admin.register(KpiSnapshot)
class KpiSnapshotAdmin(admin.ModelAdmin):
    list_display = ["kpi", "scope_type", "scope_key", "bucket", "period_start", "value", "n", "computed_at"]
    list_filter = ["kpi", "scope_type", "bucket"]


@admin.register(RecomputeRun)
class RecomputeRunAdmin(admin.ModelAdmin):
    list_display = ["kind", "started_at", "finished_at", "snapshots_written"]
