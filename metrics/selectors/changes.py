"""Reads of a KPI's change against the previous period (the statistics of both; the test: metrics.comparison).

- a range [from, to] is compared with the period that ends the day before ``from``: as many whole buckets
  when the range is whole buckets (a month with the month before), else as many days;
- a bucket (a month, a week …) is compared with the bucket just before it in the calendar — a bucket
  without data on either side has no test.
"""

from datetime import date, timedelta

from metrics.comparison import KpiChange, kpi_change
from metrics.kpis import Stats, period_end, period_start
from metrics.selectors.snapshots import range_stats, snapshot_series, snapshot_stats, stats_by_scope


def previous_period(date_from: date, date_to: date, bucket: str | None = None) -> tuple[date, date]:
    """The period before [date_from, date_to] that ends the day before ``date_from``.

    A range of whole buckets (November; Q3; Sep–Nov by month) is compared with as many whole buckets
    before it (October; Q2; Jun–Aug); any other range with the same number of days before it.
    """
    day_after = date_to + timedelta(days=1)
    if bucket and date_from == period_start(date_from, bucket) and period_start(day_after, bucket) == day_after:
        start, count = date_from, 0
        while start <= date_to:
            start, count = period_end(start, bucket), count + 1
        prev_from = date_from
        for _ in range(count):
            prev_from = period_start(prev_from - timedelta(days=1), bucket)
        return prev_from, date_from - timedelta(days=1)
    length = (date_to - date_from).days + 1
    return date_from - timedelta(days=length), date_from - timedelta(days=1)


def range_change(
    *, kpi: str, scope_type: str, scope_key: str, date_from: date, date_to: date, bucket: str | None = None
) -> KpiChange:
    """The KPI over [date_from, date_to] against the period before it (``previous_period``)."""
    prev_from, prev_to = previous_period(date_from, date_to, bucket)
    scope = {"kpi": kpi, "scope_type": scope_type, "scope_key": scope_key}
    before = range_stats(**scope, date_from=prev_from, date_to=prev_to)
    after = range_stats(**scope, date_from=date_from, date_to=date_to)
    return kpi_change(kpi, before, after)


def bucket_changes(
    *, kpi: str, scope_type: str, scope_key: str, bucket: str, date_from: date, date_to: date
) -> dict[date, KpiChange]:
    """Per stored bucket overlapping [date_from, date_to] (by its first day), its change against the
    calendar bucket before it (one query, the bucket before the first one included)."""
    first = period_start(date_from, bucket)
    before_first = period_start(first - timedelta(days=1), bucket)
    series = snapshot_series(
        kpis=[kpi], scope_type=scope_type, scope_key=scope_key, bucket=bucket, date_from=before_first, date_to=date_to
    )[kpi]
    by_start = {s.period_start: s for s in series}
    return {
        s.period_start: kpi_change(
            kpi,
            snapshot_stats(by_start.get(period_start(s.period_start - timedelta(days=1), bucket))),
            snapshot_stats(s),
        )
        for s in series
        if s.period_start >= first
    }


def scope_changes(
    *, kpi: str, scope_type: str, date_from: date, date_to: date, bucket: str | None = None
) -> dict[str, KpiChange]:
    """Per scope of one type, the KPI over [date_from, date_to] against the period before it (two reads)."""
    prev_from, prev_to = previous_period(date_from, date_to, bucket)
    after = stats_by_scope(kpi=kpi, scope_type=scope_type, date_from=date_from, date_to=date_to)
    before = stats_by_scope(kpi=kpi, scope_type=scope_type, date_from=prev_from, date_to=prev_to)
    return {key: kpi_change(kpi, before.get(key, Stats()), stats) for key, stats in after.items()}
