"""The period KPIs from customers and revenue: churn rate, retention rate and customer lifetime value.

They are not sums over days: the churn of a month is not the sum of its days' churn. So each bucket
period [a, b) gets its own statistics, stored in a snapshot as

    n        customers active at a (acquired before a, not churned before a)
    count_a  of those, customers whose churn falls in [a, b)
    count_b  customers active at b
    count_c  customers acquired in [a, b)
    total    revenue in [a, b)

Period boundaries are local midnights (TIME_ZONE), so everything can be counted per local day:
``period_cells`` reads three aggregates grouped by scope and local day (acquisitions, churns with their
acquisition day, revenue) and derives every period of every bucket from prefix sums over those groups.
``period_stats`` answers an arbitrary [from, to] directly with two aggregate queries (customers,
transactions), which is what the metrics API's ``total`` uses for these KPIs.
"""

from bisect import bisect_left
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from itertools import accumulate
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, DateField, F, Q, Sum
from django.db.models.functions import Greatest, Trunc
from django.utils import timezone

from journeys.models import Customer
from metrics.kpis import PERIOD_KPIS, Stats, period_end, period_start
from metrics.models import Bucket, ScopeType, Transaction

# Bucket.values builds its list anew on every access; these loops run per churned customer.
BUCKETS = list(Bucket.values)


def local_day(field):
    return Trunc(field, "day", output_field=DateField(), tzinfo=ZoneInfo(settings.TIME_ZONE))


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), ZoneInfo(settings.TIME_ZONE))


def _scopes(persona_id) -> list[tuple[str, str]]:
    scopes = [(ScopeType.COMPANY, "")]
    if persona_id is not None:
        scopes.append((ScopeType.PERSONA, str(persona_id)))
    return scopes


class _Counter:
    """Counts per local day of one scope, with "how many before day d" by prefix sums."""

    def __init__(self, per_day: dict[date, float]):
        self.days = sorted(per_day)
        self.prefix = [0, *accumulate(per_day[d] for d in self.days)]

    def before(self, day: date) -> float:
        return self.prefix[bisect_left(self.days, day)]

    def between(self, start: date, end: date) -> float:
        return self.before(end) - self.before(start)


def _groups():
    acquired = (
        Customer.objects.filter(acquired_at__isnull=False)
        .values("persona_id", day=local_day("acquired_at"))
        .annotate(count=Count("id"))
        .order_by()
    )
    # A churn recorded before the acquisition (bad data) counts as a churn at the acquisition: such a
    # customer is never active, exactly as the definition (acquired < a ≤ churned) implies.
    churned = (
        Customer.objects.filter(acquired_at__isnull=False, churned_at__isnull=False)
        .annotate(effective_churn=Greatest("churned_at", "acquired_at"))
        .values("persona_id", acquired_day=local_day("acquired_at"), day=local_day("effective_churn"))
        .annotate(count=Count("id"))
        .order_by()
    )
    revenue = (
        Transaction.objects.values(persona_id=F("customer__persona_id"), day=local_day("occurred_at"))
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return list(acquired), list(churned), list(revenue)


def period_cells(*, today: date | None = None) -> dict[tuple, Stats]:
    """Statistics of every bucket period (up to the one holding ``today``) for every KPI of PERIOD_KPIS.

    Keys are (kpi, scope_type, scope_key, bucket, period_start), like the additive cells. Periods with
    no data at all are left out.
    """
    today = today or timezone.localdate()
    acquired, churned, revenue = _groups()
    acq, churn, rev = defaultdict(dict), defaultdict(dict), defaultdict(dict)
    # Churns whose acquisition falls in the same period: they are not churns of the customers active at
    # the period's start. Per bucket and period start.
    same_period = defaultdict(lambda: defaultdict(int))
    for g in acquired:
        for scope in _scopes(g["persona_id"]):
            acq[scope][g["day"]] = acq[scope].get(g["day"], 0) + g["count"]
    starts = {}  # (day, bucket) → period start: there are far fewer days than churned customers

    def start_of(day: date, bucket: str) -> date:
        start = starts.get((day, bucket))
        if start is None:
            start = starts[(day, bucket)] = period_start(day, bucket)
        return start

    for g in churned:
        for scope in _scopes(g["persona_id"]):
            churn[scope][g["day"]] = churn[scope].get(g["day"], 0) + g["count"]
            for bucket in BUCKETS:
                start = start_of(g["day"], bucket)
                if start_of(g["acquired_day"], bucket) == start:
                    same_period[(scope, bucket)][start] += g["count"]
    for g in revenue:
        for scope in _scopes(g["persona_id"]):
            rev[scope][g["day"]] = rev[scope].get(g["day"], 0) + float(g["total"] or 0)

    first_days = [min(d) for d in (acq[(ScopeType.COMPANY, "")], rev[(ScopeType.COMPANY, "")]) if d]
    if not first_days:
        return {}
    first = min(min(first_days), today)
    cells: dict[tuple, Stats] = {}
    for scope in set(acq) | set(rev):
        acquisitions, churns, revenues = _Counter(acq[scope]), _Counter(churn[scope]), _Counter(rev[scope])
        for bucket in BUCKETS:
            start, last = period_start(first, bucket), period_start(today, bucket)
            inside = same_period[(scope, bucket)]
            while start <= last:
                end = period_end(start, bucket)
                stats = Stats(
                    n=int(acquisitions.before(start) - churns.before(start)),
                    total=round(revenues.between(start, end), 2),
                    count_a=int(churns.between(start, end) - inside.get(start, 0)),
                    count_b=int(acquisitions.before(end) - churns.before(end)),
                    count_c=int(acquisitions.between(start, end)),
                )
                if stats != Stats():
                    for kpi in PERIOD_KPIS:
                        cells[(kpi, *scope, bucket, start)] = stats
                start = end
    return cells


def _period_aggregates(date_from: date, date_to: date) -> tuple[dict, Sum]:
    a, b = local_midnight(date_from), local_midnight(date_to + timedelta(days=1))

    def active_at(t):
        return Q(acquired_at__lt=t) & (Q(churned_at__isnull=True) | Q(churned_at__gte=t))

    counts = {
        "n": Count("id", filter=active_at(a)),
        "count_a": Count("id", filter=Q(acquired_at__lt=a, churned_at__gte=a, churned_at__lt=b)),
        "count_b": Count("id", filter=active_at(b)),
        "count_c": Count("id", filter=Q(acquired_at__gte=a, acquired_at__lt=b)),
    }
    return counts, Sum("amount", filter=Q(occurred_at__gte=a, occurred_at__lt=b))


def period_stats(*, scope_type: str, scope_key: str, date_from: date, date_to: date) -> Stats:
    """The statistics of [date_from, date_to] (inclusive local dates): two aggregate queries.

    Only the company and persona scopes have customers; any other scope gets empty statistics.
    """
    customers, transactions = Customer.objects.all(), Transaction.objects.all()
    if scope_type == ScopeType.PERSONA:
        customers = customers.filter(persona_id=scope_key)
        transactions = transactions.filter(customer__persona_id=scope_key)
    elif scope_type != ScopeType.COMPANY:
        return Stats()
    counts, revenue = _period_aggregates(date_from, date_to)
    total = transactions.aggregate(total=revenue)["total"]
    return Stats(total=round(float(total or 0), 2), **customers.aggregate(**counts))


def period_stats_by_persona(*, date_from: date, date_to: date) -> dict[str, Stats]:
    """``period_stats`` for every persona with customers, keyed by persona id as text: two queries."""
    counts, revenue = _period_aggregates(date_from, date_to)
    rows = Customer.objects.filter(persona__isnull=False).values("persona_id").annotate(**counts).order_by()
    totals = dict(
        Transaction.objects.filter(customer__persona__isnull=False)
        .values("customer__persona_id")
        .annotate(total=revenue)
        .order_by()
        .values_list("customer__persona_id", "total")
    )
    return {
        str(row["persona_id"]): Stats(
            n=row["n"],
            total=round(float(totals.get(row["persona_id"]) or 0), 2),
            count_a=row["count_a"],
            count_b=row["count_b"],
            count_c=row["count_c"],
        )
        for row in rows
    }
