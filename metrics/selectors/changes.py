"""Reads of a KPI's change against the previous period (the statistics of both; the test: metrics.comparison).

- a range [from, to] is compared with the range of the same length that ends the day before ``from``;
- a bucket (a month, a week …) is compared with the bucket just before it in the calendar — a bucket
  without data on either side has no test.
"""

from datetime import date, timedelta

from metrics.comparison import KpiChange, kpi_change
from metrics.kpis import period_start
from metrics.selectors.snapshots import range_stats, snapshot_series, snapshot_stats


def previous_period(date_from: date, date_to: date) -> tuple[date, date]:
    """The period of the same length that ends the day before ``date_from``."""
    length = (date_to - date_from).days + 1
    return date_from - timedelta(days=length), date_from - timedelta(days=1)


def range_change(*, kpi: str, scope_type: str, scope_key: str, date_from: date, date_to: date) -> KpiChange:
    """The KPI over [date_from, date_to] against the same-length period before it."""
    prev_from, prev_to = previous_period(date_from, date_to)
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
