"""Reads of KPI values, always from snapshots, so their cost does not grow with the answers stored.

``snapshot_series`` is the one reader of a snapshot series (the stored buckets of a KPI in a scope over a
period): the API's ``kpi_series``, the trend charts, the overview cards' sparklines and the survey summary
all read theirs through it. ``stat_sums`` / ``row_stats`` are the one way a period's statistics are summed
from day snapshots.
"""

from datetime import date

from django.db.models import Q, Sum

from metrics import customer_kpis
from metrics.kpis import REGISTRY, KpiValue, Stats, compute, period_start
from metrics.models import Bucket, KpiSnapshot, RecomputeRun, ScopeType

STAT_FIELDS = ("n", "total", "total_sq", "count_a", "count_b", "count_c")


def stat_sums(prefix: str = "", condition: Q | None = None) -> dict:
    """The aggregates that sum snapshots' statistics (named ``<prefix><field>``, optionally filtered)."""
    return {f"{prefix}{f}": Sum(f, filter=condition) for f in STAT_FIELDS}


def row_stats(row: dict, prefix: str = "") -> Stats:
    """The statistics of an aggregated row of ``stat_sums`` (a sum over no rows is zero)."""
    return Stats(*[(row.get(f"{prefix}{f}") or 0) for f in STAT_FIELDS])


def snapshot_series(
    *, kpis: list[str], scope_type: str, scope_key: str, bucket: str, date_from: date, date_to: date
) -> dict[str, list[KpiSnapshot]]:
    """Per KPI, the stored buckets of one scope that overlap [date_from, date_to], oldest first (one query).

    A bucket overlaps when it starts on or before ``date_to`` and not before the start of the bucket
    holding ``date_from``. KPIs without snapshots map to an empty list.
    """
    series: dict[str, list[KpiSnapshot]] = {kpi: [] for kpi in kpis}
    rows = KpiSnapshot.objects.filter(
        kpi__in=list(kpis),
        scope_type=scope_type,
        scope_key=scope_key,
        bucket=bucket,
        period_start__gte=period_start(date_from, bucket),
        period_start__lte=date_to,
    ).order_by("kpi", "period_start")
    for snapshot in rows:
        series[snapshot.kpi].append(snapshot)
    return series


def series_point(snapshot: KpiSnapshot) -> dict:
    """A bucket of a series as charts, tables and the API show it."""
    return {
        "period_start": snapshot.period_start,
        "value": snapshot.value,
        "n": snapshot.n,
        "margin_of_error": snapshot.margin_of_error,
    }


def range_stats(*, kpi: str, scope_type: str, scope_key: str, date_from: date, date_to: date) -> Stats:
    """The statistics of the KPI over exactly [date_from, date_to] (one or two aggregate queries).

    Summed from day snapshots for additive KPIs; for the period KPIs (churn, retention, CLV) the range is
    one period counted straight from the customers and transactions (see metrics.customer_kpis).
    """
    if REGISTRY[kpi].additive:
        days = KpiSnapshot.objects.filter(
            kpi=kpi,
            scope_type=scope_type,
            scope_key=scope_key,
            bucket=Bucket.DAY,
            period_start__gte=date_from,
            period_start__lte=date_to,
        )
        return row_stats(days.aggregate(**stat_sums()))
    return customer_kpis.period_stats(scope_type=scope_type, scope_key=scope_key, date_from=date_from, date_to=date_to)


def snapshot_stats(snapshot: KpiSnapshot | None) -> Stats:
    """The statistics one snapshot holds (none for no snapshot)."""
    if snapshot is None:
        return Stats()
    return Stats(*[getattr(snapshot, f) for f in STAT_FIELDS])


def kpi_series(
    *,
    kpi: str,
    scope_type: str = ScopeType.COMPANY,
    scope_key: str = "",
    bucket: str = Bucket.MONTH,
    date_from: date,
    date_to: date,
) -> dict:
    """The KPI over [date_from, date_to] (inclusive local dates): a total and one value per bucket.

    The total is exact for the days asked: summed from day snapshots for additive KPIs, and for the
    period KPIs (churn, retention, CLV) computed for [date_from, date_to] as one period straight from
    the customers and transactions (two aggregate queries, see metrics.customer_kpis). The buckets are
    the stored buckets that overlap the range, labelled by their first day. A scope the KPI does not
    have (e.g. churn at a touchpoint) gives a null total with n 0 and no buckets.
    """
    if scope_type not in REGISTRY[kpi].scopes:
        return {"total": KpiValue(None, 0, None, {}), "results": []}
    total = compute(
        kpi, range_stats(kpi=kpi, scope_type=scope_type, scope_key=scope_key, date_from=date_from, date_to=date_to)
    )
    series = snapshot_series(
        kpis=[kpi], scope_type=scope_type, scope_key=scope_key, bucket=bucket, date_from=date_from, date_to=date_to
    )
    results = [series_point(s) for s in series[kpi]]
    return {"total": total, "results": results}


def stats_by_scope(*, kpi: str, scope_type: str, date_from: date, date_to: date) -> dict[str, Stats]:
    """The KPI's statistics for every scope of one type over [date_from, date_to], keyed by scope key."""
    definition = REGISTRY[kpi]
    if scope_type not in definition.scopes:
        return {}
    if not definition.additive:
        if scope_type == ScopeType.COMPANY:
            return {
                "": customer_kpis.period_stats(
                    scope_type=scope_type, scope_key="", date_from=date_from, date_to=date_to
                )
            }
        return customer_kpis.period_stats_by_persona(date_from=date_from, date_to=date_to)
    rows = (
        KpiSnapshot.objects.filter(
            kpi=kpi,
            scope_type=scope_type,
            bucket=Bucket.DAY,
            period_start__gte=date_from,
            period_start__lte=date_to,
        )
        .values("scope_key")
        .annotate(**stat_sums())
        .order_by()
    )
    return {row["scope_key"]: row_stats(row) for row in rows}


def kpi_by_scope(*, kpi: str, scope_type: str, date_from: date, date_to: date) -> dict[str, object]:
    """The KPI for every scope of one type over [date_from, date_to], keyed by scope key."""
    stats = stats_by_scope(kpi=kpi, scope_type=scope_type, date_from=date_from, date_to=date_to)
    return {key: compute(kpi, s) for key, s in stats.items()}


def last_recompute() -> RecomputeRun | None:
    return RecomputeRun.objects.order_by("-started_at").first()
