"""Reads behind the dashboards, the map's KPI badges and the persona's KPIs — snapshots only.

Every function here runs a fixed number of queries whatever the number of answers, touchpoints or
KPIs: snapshots are aggregated per (KPI, scope) in the database, and targets and names are fetched in
one query per kind.

KPIs come from ``metrics.kpis.REGISTRY`` generically. Additive KPIs (answers, events) are summed from
day snapshots for exactly the days asked; period KPIs (churn, retention, CLV: ``additive=False``) are
shown with their latest bucket in the range, compared with the bucket before it.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q

from journeys.models import Touchpoint
from metrics import emotion, voice_kpis
from metrics.comparison import KpiChange, kpi_change
from metrics.kpis import REGISTRY, KpiValue, change_verdict, compute, period_start
from metrics.models import Bucket, KpiSnapshot, KpiTarget, ScopeType
from metrics.periods import (
    is_partial,
    last_complete_period,
    partial_label,
    partial_range_label,
    period_label,
    range_is_partial,
    running_period,
    site_today,
)
from metrics.selectors.changes import previous_period
from metrics.selectors.snapshots import row_stats, series_point, snapshot_series, snapshot_stats, stat_sums

SPARK_BUCKETS = 12  # how many buckets a card's sparkline shows, up to the end of its period

# The KPIs a touchpoint badge shows; the stages' measured emotion comes from the same ones.
BADGE_KPIS = ["nps", "csat", "ces"]


def is_additive(kpi: str) -> bool:
    return getattr(REGISTRY[kpi], "additive", True)


def available_in(kpi: str, scope_type: str) -> bool:
    scopes = getattr(REGISTRY[kpi], "scopes", None)
    return scopes is None or scope_type in scopes


def target_status(target: KpiTarget | None, result: KpiValue | None) -> str:
    """ "met", "missed", "no_target" or "no_data" (no value, or fewer answers than the minimum)."""
    if target is None:
        return "no_target"
    if result is None or result.value is None or result.n < settings.CX_MIN_SAMPLE_SIZE:
        return "no_data"
    return "met" if target.is_met_by(result.value) else "missed"


@dataclass
class Card:
    kpi: str
    definition: object
    current: KpiValue
    previous: KpiValue
    spark: list[dict] = field(default_factory=list)
    target: KpiTarget | None = None
    status: str = "no_target"
    note: str = ""
    # The change against the previous period with its significance (None: nothing to compare).
    significance: KpiChange | None = None
    # "to date, 4 of 31 days" when the card's own period has not ended.
    partial_note: str = ""
    # The running period beside a finished one: {"label", "value": KpiValue | None, "final": False,
    # "enough"}; value None for churn, retention and CLV, which have no value before their period ends.
    running: dict | None = None

    @property
    def enough(self) -> bool:
        return self.current.value is not None and self.current.n >= settings.CX_MIN_SAMPLE_SIZE

    @property
    def change(self) -> float | None:
        if not self.enough or self.previous.value is None or self.previous.n < settings.CX_MIN_SAMPLE_SIZE:
            return None
        digits = 2 if self.kpi == "ces" else 1
        return round(self.current.value - self.previous.value, digits)

    @property
    def verdict(self) -> str | None:
        """ "better", "worse" or "same" against the previous period, by the KPI's direction."""
        return change_verdict(self.kpi, self.change)


def overview_cards(
    *, scope_type: str, scope_key: str, date_from: date, date_to: date, bucket: str, today: date | None = None
) -> list[Card]:
    """A card per registered KPI available in the scope: value, previous period and the change's
    significance, sparkline, target — and, when the period has ended recently, the running period beside it.

    Churn, retention and CLV take their latest *finished* bucket in the range: a running bucket is shown
    beside it as partial, without a value.
    """
    today = today or site_today()
    kpis = [k for k in REGISTRY if available_in(k, scope_type)]
    prev_from, prev_to = previous_period(date_from, date_to, bucket)
    run_from, _ = running_period(bucket, today=today)
    # The running period goes beside a range that has ended and is recent (reaches the last finished bucket).
    show_running = date_to < today and date_to >= last_complete_period(bucket, today=today)[0]
    in_scope = KpiSnapshot.objects.filter(kpi__in=kpis, scope_type=scope_type, scope_key=scope_key)
    totals = {
        row["kpi"]: row
        for row in in_scope.filter(
            bucket=Bucket.DAY, period_start__gte=prev_from, period_start__lte=max(date_to, today)
        )
        .values("kpi")
        .annotate(
            **stat_sums("cur_", Q(period_start__gte=date_from, period_start__lte=date_to)),
            **stat_sums("prev_", Q(period_start__lt=date_from)),
            **stat_sums("run_", Q(period_start__gte=run_from, period_start__lte=today)),
        )
        .order_by()
    }
    # The sparkline shows the trend leading up to the period (its last SPARK_BUCKETS buckets), also when the period
    # is a single bucket such as the default "last finished month".
    spark_from = period_start(date_to, bucket)
    for _step in range(SPARK_BUCKETS - 1):
        spark_from = period_start(spark_from - timedelta(days=1), bucket)
    spark_from = min(spark_from, period_start(date_from, bucket))
    series = snapshot_series(
        kpis=kpis,
        scope_type=scope_type,
        scope_key=scope_key,
        bucket=bucket,
        date_from=min(prev_from, spark_from),
        date_to=date_to,
    )
    targets = {t.kpi: t for t in KpiTarget.objects.filter(scope_type=scope_type, scope_key=scope_key)}
    cards = []
    first_bucket = period_start(date_from, bucket)
    range_note = partial_range_label(date_from, date_to, today=today)
    for kpi in kpis:
        snaps = series[kpi]
        in_range = [s for s in snaps if s.period_start >= first_bucket]
        spark = [
            {"period_start": s.period_start, "value": s.value, "n": s.n} for s in snaps if s.period_start >= spark_from
        ]
        running = None
        if is_additive(kpi):
            row = totals.get(kpi, {})
            before, after = row_stats(row, "prev_"), row_stats(row, "cur_")
            current, previous = compute(kpi, after), compute(kpi, before)
            note, partial_note = "", range_note
            if show_running:
                value = compute(kpi, row_stats(row, "run_"))
                running = {"label": partial_label(run_from, bucket, today=today), "value": value, "final": False}
        else:
            finished = [s for s in in_range if not is_partial(s.period_start, bucket, today=today)]
            latest = finished[-1] if finished else None
            earlier = [s for s in snaps if latest and s.period_start < latest.period_start]
            before, after = snapshot_stats(earlier[-1] if earlier else None), snapshot_stats(latest)
            current, previous = compute(kpi, after), compute(kpi, before)
            note, partial_note = (period_label(latest.period_start, bucket) if latest else ""), ""
            unfinished = [s for s in in_range if is_partial(s.period_start, bucket, today=today)]
            # A running bucket of churn/retention/CLV has no final value: the sparkline stops before it too.
            spark = [p for p in spark if not is_partial(p["period_start"], bucket, today=today)]
            if unfinished or show_running:
                start = unfinished[0].period_start if unfinished else run_from
                running = {"label": partial_label(start, bucket, today=today), "value": None, "final": False}
        target = targets.get(kpi)
        card = Card(kpi, REGISTRY[kpi], current, previous, spark, target, target_status(target, current), note)
        card.significance = kpi_change(kpi, before, after)
        card.partial_note = partial_note
        if running is not None:
            value = running["value"]
            running["enough"] = value is not None and value.value is not None and value.n >= settings.CX_MIN_SAMPLE_SIZE
        card.running = running
        cards.append(card)
    return cards


# ---------------------------------------------------------------- the journey map, lit up


def map_kpis(*, map_id: int, date_from: date, date_to: date) -> dict:
    """Per-touchpoint badges (NPS, CSAT, CES against their targets, with the change against the period
    before and its significance) and felt vs measured per stage."""
    touchpoints = list(
        Touchpoint.objects.filter(stage__journey_map_id=map_id)
        .select_related("stage")
        .order_by("stage__position", "stage_id", "position", "pk")
    )
    stages = list({tp.stage_id: tp.stage for tp in touchpoints}.values())
    kpis = [k for k in dict.fromkeys(BADGE_KPIS + emotion.SOURCE_KPIS) if k in REGISTRY]
    tp_keys = [str(tp.pk) for tp in touchpoints]
    stage_keys = [str(s.pk) for s in stages]
    results: dict[tuple[str, str, str], KpiValue] = {}
    changes: dict[tuple[str, str, str], KpiChange] = {}
    prev_from, _prev_to = previous_period(date_from, date_to)
    if touchpoints:
        rows = (
            KpiSnapshot.objects.filter(
                kpi__in=kpis, bucket=Bucket.DAY, period_start__gte=prev_from, period_start__lte=date_to
            )
            .filter(
                Q(scope_type=ScopeType.TOUCHPOINT, scope_key__in=tp_keys)
                | Q(scope_type=ScopeType.STAGE, scope_key__in=stage_keys)
            )
            .values("kpi", "scope_type", "scope_key")
            .annotate(
                **stat_sums("cur_", Q(period_start__gte=date_from)),
                **stat_sums("prev_", Q(period_start__lt=date_from)),
            )
            .order_by()
        )
        for row in rows:
            key = (row["scope_type"], row["scope_key"], row["kpi"])
            if row["cur_n"] is None:
                continue  # data only in the period before: no badge, as before
            results[key] = compute(row["kpi"], row_stats(row, "cur_"))
            changes[key] = kpi_change(row["kpi"], row_stats(row, "prev_"), row_stats(row, "cur_"))
        targets = {
            (t.kpi, t.scope_key): t
            for t in KpiTarget.objects.filter(scope_type=ScopeType.TOUCHPOINT, scope_key__in=tp_keys, kpi__in=kpis)
        }
    else:
        targets = {}
    badges = []
    for tp in touchpoints:
        items = []
        for kpi in [k for k in BADGE_KPIS if k in kpis]:
            result = results.get((ScopeType.TOUCHPOINT, str(tp.pk), kpi))
            if result is None:
                continue
            target = targets.get((kpi, str(tp.pk)))
            items.append(
                {
                    "kpi": kpi,
                    "label": REGISTRY[kpi].label,
                    "result": result,
                    "enough": result.value is not None and result.n >= settings.CX_MIN_SAMPLE_SIZE,
                    "target": target,
                    "status": target_status(target, result),
                    "change": changes.get((ScopeType.TOUCHPOINT, str(tp.pk), kpi)),
                    "partial": range_is_partial(date_to, today=site_today()),
                }
            )
        badges.append({"touchpoint": tp, "items": items})
    curve = []
    text_sentiment = (
        voice_kpis.stage_sentiment(stage_ids=[s.pk for s in stages], date_from=date_from, date_to=date_to)
        if stages
        else {}
    )
    for stage in stages:
        scored = [tp.emotion_score for tp in touchpoints if tp.stage_id == stage.pk and tp.emotion_score is not None]
        stage_results = {k: results.get((ScopeType.STAGE, str(stage.pk), k)) for k in kpis}
        point = emotion.measured_point({**stage_results, voice_kpis.SENTIMENT: text_sentiment.get(stage.pk)})
        curve.append(
            {
                "stage": stage,
                "felt": round(sum(scored) / len(scored), 1) if scored else None,
                "felt_n": len(scored),
                "measured": point["value"] if point else None,
                "sources": point["sources"] if point else [],
                "results": stage_results,
            }
        )
    return {"badges": badges, "curve": curve}


# ---------------------------------------------------------------- trends


def trends(*, kpis: list[str], scope_type: str, scope_key: str, date_from: date, date_to: date, bucket: str) -> dict:
    """Per KPI, one point per stored bucket in the range (one query for all KPIs).

    A point carries value, n, margin of error, ``enough`` (n at least the minimum sample size), ``partial``
    (the bucket has not ended), ``change`` (against the bucket before, with its significance) and, for NPS,
    the promoter / passive / detractor counts and shares. KPIs the scope does not have map to None.
    """
    wanted = [k for k in kpis if k in REGISTRY and available_in(k, scope_type)]
    series: dict[str, list | None] = {k: (None if k not in wanted else []) for k in kpis}
    if not wanted:
        return series
    first = period_start(date_from, bucket)
    before_first = period_start(first - timedelta(days=1), bucket)
    # The bucket before the first one is read too: the first point's change is against it.
    stored = snapshot_series(
        kpis=wanted, scope_type=scope_type, scope_key=scope_key, bucket=bucket, date_from=before_first, date_to=date_to
    )
    today = site_today()
    for kpi, snapshots in stored.items():
        by_start = {s.period_start: s for s in snapshots}
        for s in snapshots:
            if s.period_start < first:
                continue
            point = {**series_point(s), "enough": s.value is not None and s.n >= settings.CX_MIN_SAMPLE_SIZE}
            point["partial"] = is_partial(s.period_start, bucket, today=today)
            before = by_start.get(period_start(s.period_start - timedelta(days=1), bucket))
            point["change"] = kpi_change(kpi, snapshot_stats(before), snapshot_stats(s))
            if kpi == "nps":
                point["promoters"], point["passives"], point["detractors"] = s.count_a, s.count_b, s.count_c
                for name in ("promoters", "passives", "detractors"):
                    point[f"{name}_share"] = round(100 * point[name] / s.n, 1) if s.n else None
            series[kpi].append(point)
    return series
