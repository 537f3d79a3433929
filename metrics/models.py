"""KPI snapshots: the precomputed values dashboards and the metrics API read.

A snapshot holds the *sufficient statistics* of one KPI for one scope and one period (count, sum, sum of
squares and up to three category counts), so that the value of any longer period — and its margin of
error — is computed exactly by summing snapshots, without touching the answers again.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from journeys.models import Customer, Touchpoint


class Kpi(models.TextChoices):
    NPS = "nps", _("NPS")
    CSAT = "csat", _("CSAT")
    CES = "ces", _("CES")
    RESPONSE_RATE = "response_rate", _("Response rate")
    CHURN_RATE = "churn_rate", _("Churn rate")
    RETENTION_RATE = "retention_rate", _("Retention rate")
    CLV = "clv", _("Customer lifetime value")
    CONVERSION_RATE = "conversion_rate", _("Conversion rate")
    SENTIMENT = "sentiment", _("Sentiment")
    NEGATIVE_SHARE = "negative_share", _("Negative share")


class ScopeType(models.TextChoices):
    COMPANY = "company", _("Company")
    MAP = "map", _("Journey map")
    STAGE = "stage", _("Stage")
    TOUCHPOINT = "touchpoint", _("Touchpoint")
    PERSONA = "persona", _("Persona")
    CHANNEL = "channel", _("Channel")
    SURVEY = "survey", _("Survey")


class Bucket(models.TextChoices):
    DAY = "day", _("Day")
    WEEK = "week", _("Week")
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")


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
        FULL = "full", _("Full")
        CHANGED = "changed", _("New data")

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
    # The same kind of marker for the other inputs (events, transactions, customers, invitations):
    # {table: {"max": iso time or None, "window_start": iso time or None, "count": n}}.
    markers = models.JSONField(default=dict, blank=True)
    # metrics.kpis.formula_signature() when the run wrote: a run whose formulas differ from the last
    # run's computes every value again (otherwise only those of cells whose statistics changed).
    formulas = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["-started_at"]
        get_latest_by = "started_at"

    def __str__(self) -> str:
        return f"{self.kind} run at {timezone.localtime(self.started_at):%Y-%m-%d %H:%M}"


class TouchpointEvent(models.Model):
    """A visit or a conversion at a touchpoint, sent by an integration; the input of the conversion rate."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("Visit")
        CONVERSION = "conversion", _("Conversion")

    external_id = models.CharField(max_length=100, unique=True)
    touchpoint = models.ForeignKey(Touchpoint, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    customer = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    occurred_at = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["touchpoint", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.kind} at touchpoint {self.touchpoint_id} ({self.external_id})"


class Transaction(models.Model):
    """Revenue from one customer; the input of the customer lifetime value."""

    external_id = models.CharField(max_length=100, unique=True)
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="transactions")
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    occurred_at = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]

    def __str__(self) -> str:
        return f"{self.amount} from customer {self.customer_id} ({self.external_id})"


class KpiTarget(models.Model):
    """A level one KPI should reach in one scope, e.g. NPS ≥ 30 at the touchpoint "after-sales service".

    ``status`` is the target's state at its last evaluation with enough data ("" before that): a change
    of state is a crossing, recorded once per period and direction.
    """

    class Comparison(models.TextChoices):
        AT_LEAST = "gte", _("≥ at least")
        AT_MOST = "lte", _("≤ at most")

    class Status(models.TextChoices):
        UNKNOWN = "", _("No data yet")
        MET = "met", _("Met")
        MISSED = "missed", _("Missed")

    kpi = models.CharField(_("KPI"), max_length=32)
    scope_type = models.CharField(_("KPI scope"), max_length=16, choices=ScopeType.choices, default=ScopeType.COMPANY)
    scope_key = models.CharField(_("KPI scope id"), max_length=64, blank=True, default="")
    comparison = models.CharField(
        _("Comparison"), max_length=3, choices=Comparison.choices, default=Comparison.AT_LEAST
    )
    value = models.FloatField(_("Target value"))
    notify = models.BooleanField(
        _("notify"), default=True, help_text=_("Tell the CX managers when the target is crossed.")
    )
    # Wired by actionplans: open an action for the touchpoint's department when the target is missed.
    open_action = models.BooleanField(_("open an action"), default=False)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, blank=True, default="")
    status_value = models.FloatField(_("status value"), null=True, blank=True)
    status_period = models.DateField(_("status period"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="kpi_targets"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kpi", "scope_type", "scope_key"]
        constraints = [
            models.UniqueConstraint(fields=["kpi", "scope_type", "scope_key"], name="one_target_per_kpi_and_scope")
        ]

    def __str__(self) -> str:
        return f"{self.kpi} {self.get_comparison_display()} {self.value} ({self.scope_type}:{self.scope_key})"

    def is_met_by(self, value: float) -> bool:
        if self.comparison == self.Comparison.AT_MOST:
            return value <= self.value
        return value >= self.value


class TargetCrossing(models.Model):
    """A target changed from met to missed or back, in one month (recorded once per direction)."""

    class Direction(models.TextChoices):
        MISSED = "missed", _("now missed")
        MET = "met", _("now met")

    target = models.ForeignKey(KpiTarget, on_delete=models.CASCADE, related_name="crossings")
    period_start = models.DateField()
    direction = models.CharField(max_length=8, choices=Direction.choices)
    value = models.FloatField()
    n = models.PositiveIntegerField()
    crossed_at = models.DateTimeField()

    class Meta:
        ordering = ["-crossed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["target", "period_start", "direction"], name="one_crossing_per_target_period_direction"
            )
        ]

    def __str__(self) -> str:
        return f"{self.target} {self.direction} in {self.period_start:%Y-%m}"


class Notification(models.Model):
    """An in-app message to one user; unread while ``read_at`` is empty."""

    class Kind(models.TextChoices):
        TARGET = "target", _("KPI target")
        TOPIC = "topic", _("Emerging topic")
        OTHER = "other", _("Other")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.title


class InputChange(models.Model):
    """One row: a counter of the changes to KPI inputs that leave no timestamp (deletions, moved touchpoints);
    see metrics.changes."""

    version = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"inputs v{self.version}"
