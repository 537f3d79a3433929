"""Reads of KPI values, always from snapshots, so their cost does not grow with the answers stored."""

from datetime import date

from django.db.models import Sum

from journeys.models import Touchpoint
from metrics import customer_kpis
from metrics.kpis import REGISTRY, KpiValue, Stats, compute, period_start
from metrics.models import Bucket, KpiSnapshot, RecomputeRun, ScopeType

_SUMS = {
    "n": Sum("n"),
    "total": Sum("total"),
    "total_sq": Sum("total_sq"),
    "count_a": Sum("count_a"),
    "count_b": Sum("count_b"),
    "count_c": Sum("count_c"),
}


def _stats(row: dict) -> Stats:
    return Stats(
        row["n"] or 0,
        row["total"] or 0.0,
        row["total_sq"] or 0.0,
        row["count_a"] or 0,
        row["count_b"] or 0,
        row["count_c"] or 0,
    )


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
    definition = REGISTRY[kpi]
    if scope_type not in definition.scopes:
        return {"total": KpiValue(None, 0, None, {}), "results": []}
    if definition.additive:
        days = KpiSnapshot.objects.filter(
            kpi=kpi,
            scope_type=scope_type,
            scope_key=scope_key,
            bucket=Bucket.DAY,
            period_start__gte=date_from,
            period_start__lte=date_to,
        )
        total = compute(kpi, _stats(days.aggregate(**_SUMS)))
    else:
        total = compute(
            kpi,
            customer_kpis.period_stats(
                scope_type=scope_type, scope_key=scope_key, date_from=date_from, date_to=date_to
            ),
        )
    buckets = KpiSnapshot.objects.filter(
        kpi=kpi,
        scope_type=scope_type,
        scope_key=scope_key,
        bucket=bucket,
        period_start__gte=period_start(date_from, bucket),
        period_start__lte=date_to,
    ).order_by("period_start")
    results = [
        {"period_start": s.period_start, "value": s.value, "n": s.n, "margin_of_error": s.margin_of_error}
        for s in buckets
    ]
    return {"total": total, "results": results}


def kpi_by_scope(*, kpi: str, scope_type: str, date_from: date, date_to: date) -> dict[str, object]:
    """The KPI for every scope of one type over [date_from, date_to], keyed by scope key."""
    definition = REGISTRY[kpi]
    if scope_type not in definition.scopes:
        return {}
    if not definition.additive:
        if scope_type == ScopeType.COMPANY:
            stats = {
                "": customer_kpis.period_stats(
                    scope_type=scope_type, scope_key="", date_from=date_from, date_to=date_to
                )
            }
        else:
            stats = customer_kpis.period_stats_by_persona(date_from=date_from, date_to=date_to)
        return {key: compute(kpi, s) for key, s in stats.items()}
    rows = (
        KpiSnapshot.objects.filter(
            kpi=kpi,
            scope_type=scope_type,
            bucket=Bucket.DAY,
            period_start__gte=date_from,
            period_start__lte=date_to,
        )
        .values("scope_key")
        .annotate(**_SUMS)
        .order_by()
    )
    return {row["scope_key"]: compute(kpi, _stats(row)) for row in rows}


def last_recompute() -> RecomputeRun | None:
    return RecomputeRun.objects.order_by("-started_at").first()


def touchpoint_breakdown(*, kpi: str, date_from: date, date_to: date) -> list[dict]:
    """The KPI per touchpoint (with its stage and map), best first; touchpoints without data last."""
    values = kpi_by_scope(kpi=kpi, scope_type=ScopeType.TOUCHPOINT, date_from=date_from, date_to=date_to)
    rows = []
    for tp in Touchpoint.objects.select_related("stage__journey_map").filter(pk__in=[int(k) for k in values]):
        rows.append({"touchpoint": tp, "result": values[str(tp.pk)]})
    rows.sort(key=lambda r: (r["result"].value is None, -(r["result"].value or 0), r["touchpoint"].name))
    return rows
