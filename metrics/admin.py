from django.contrib import admin

from metrics.models import KpiSnapshot, RecomputeRun, TouchpointEvent, Transaction


@admin.register(KpiSnapshot)
class KpiSnapshotAdmin(admin.ModelAdmin):
    list_display = ["kpi", "scope_type", "scope_key", "bucket", "period_start", "value", "n", "computed_at"]
    list_filter = ["kpi", "scope_type", "bucket"]


@admin.register(RecomputeRun)
class RecomputeRunAdmin(admin.ModelAdmin):
    list_display = ["kind", "started_at", "finished_at", "snapshots_written"]


@admin.register(TouchpointEvent)
class TouchpointEventAdmin(admin.ModelAdmin):
    list_display = ["external_id", "kind", "touchpoint", "customer", "occurred_at"]
    list_filter = ["kind"]
    search_fields = ["external_id"]
    raw_id_fields = ["touchpoint", "customer"]


@admin.register(Transaction)
class TransactionAdmin(admin.ModelAdmin):
    list_display = ["external_id", "customer", "amount", "occurred_at"]
    search_fields = ["external_id", "customer__external_id"]
    raw_id_fields = ["customer"]
