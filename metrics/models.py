"""KPI snapshots: the precomputed values dashboards and the metrics API read.

A snapshot holds the *sufficient statistics* of one KPI for one scope and one period (count, sum, sum of
squares and up to three category counts), so that the value of any longer period — and its margin of
error — is computed exactly by summing snapshots, without touching the answers again.
"""

from django.db import models


class Kpi(models.TextChoices):
    NPS = "nps", "NPS"
    CSAT = "csat", "CSAT"
    CES = "ces", "CES"
    RESPONSE_RATE = "response_rate", "Response rate"
    CHURN_RATE = "churn_rate", "Churn rate"
    RETENTION_RATE = "retention_rate", "Retention rate"
    CLV = "clv", "Customer lifetime value"
    CONVERSION_RATE = "conversion_rate", "Conversion rate"


class ScopeType(models.TextChoices):
    COMPANY = "company", "Company"
    MAP = "map", "Journey map"
    STAGE = "stage", "Stage"
    TOUCHPOINT = "touchpoint", "Touchpoint"
    PERSONA = "persona", "Persona"
    CHANNEL = "channel", "Channel"
    SURVEY = "survey", "Survey"


class Bucket(models.TextChoices):
    DAY = "day", "Day"
    WEEK = "week", "Week"
    MONTH = "month", "Month"
    QUARTER = "quarter", "Quarter"


class KpiSnapshot(models.Model):
    kpi = models.CharField(max_length=32, choices=Kpi.choices)
    scope_type = models.CharField(max_length=16, choices=ScopeType.choices)
    # The scope's id as text ("" for the company, the channel's name for a channel).
    scope_key = models.CharField(max_length=64, blank=True, default="")
    bucket = models.CharField(max_length=16, choices=Bucket.choices)
    period_start = models.DateField()
    n = models.PositiveIntegerField()
    total = models.FloatField(default=0)
    total_sq = models.FloatField(default=0)
    count_a = models.PositiveIntegerField(default=0)
    count_b = models.PositiveIntegerField(default=0)
    count_c = models.PositiveIntegerField(default=0)
    value = models.FloatField(null=True, blank=True)
    margin_of_error = models.FloatField(null=True, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["kpi", "scope_type", "scope_key", "bucket", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["kpi", "scope_type", "scope_key", "bucket", "period_start"], name="one_snapshot_per_cell"
            )
        ]
        indexes = [models.Index(fields=["kpi", "bucket", "scope_type", "period_start"])]

    def __str__(self) -> str:
        return f"{self.kpi} {self.scope_type}:{self.scope_key} {self.bucket} {self.period_start}"


class RecomputeRun(models.Model):
    """One recomputation of the snapshots; the dashboards show when the last one finished."""

    class Kind(models.TextChoices):
        FULL = "full", "Full"
        CHANGED = "changed", "New data"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    # Newest response creation time the run saw, and how many responses it saw created in the window
    # just before it: a response that committed late (created before the watermark, visible only after
    # the run) changes that count, so it is not missed until the nightly run.
    data_watermark = models.DateTimeField(null=True, blank=True)
    window_start = models.DateTimeField(null=True, blank=True)
    window_count = models.PositiveIntegerField(default=0)
    snapshots_written = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]
        get_latest_by = "started_at"

    def __str__(self) -> str:
        return f"{self.kind} run at {self.started_at:%Y-%m-%d %H:%M}"
