"""Recomputing KPI snapshots from answers, invitations, touchpoint events, customers and revenue.

For the additive KPIs one database aggregate per source groups the data at the finest grain the scopes
need (KPI × survey × touchpoint × persona × local day): answers (NPS, CSAT, CES), invitations (response
rate, by the day they were first sent) and touchpoint events (conversion rate). Every scope and bucket is
then a sum of those groups, because the statistics a snapshot keeps are additive. The period KPIs (churn,
retention, CLV) come from ``metrics.customer_kpis``. The stored snapshots are then made equal to the
computed ones — new cells inserted, changed ones updated, unchanged ones left alone, and those whose data
has gone (e.g. after an erasure) removed — so a run is idempotent and two overlapping runs agree.
bench/recompute.py measures a full run over 1,000,000 answers against one hand-written SQL aggregate.
"""

import logging
from collections import defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, DateField, F, Max, Q, Sum
from django.db.models.functions import Trunc
from django.utils import timezone

from journeys.models import Customer, Touchpoint
from metrics.customer_kpis import local_day, period_cells
from metrics.kpis import ANSWER_KPIS, REGISTRY, Stats, compute, period_start
from metrics.models import Bucket, Kpi, KpiSnapshot, RecomputeRun, ScopeType, TouchpointEvent, Transaction
from surveys.models import Answer, Invitation, Response

logger = logging.getLogger(__name__)
BATCH = 2000


# Every group below is a tuple (kpi, survey, touchpoint, persona, local day, n, total, total_sq, count_a,
# count_b, count_c): tuples rather than dicts, because a large data set has hundreds of thousands of them.
STAT_FIELDS = ("n", "total", "total_sq", "count_a", "count_b", "count_c")


def _rows(query, columns: list[str]) -> list[tuple]:
    """The rows of a grouped ``values()`` query, as tuples of ``columns``, with ``day`` as a date.

    Run on a plain cursor: Django's per-row converters cost more than the grouping itself on the
    hundreds of thousands of rows of a large data set, and only the day needs converting (a timestamp
    on PostgreSQL, text on SQLite; there are few distinct days, so each is converted once).
    """
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [c[0] for c in cursor.description]
        rows = cursor.fetchall()
    if names != columns:
        order = [names.index(c) for c in columns]
        rows = [tuple(row[i] for i in order) for row in rows]
    at = columns.index("day")
    days = {raw: _as_date(raw) for raw in {row[at] for row in rows}}
    return [(*row[:at], days[row[at]], *row[at + 1 :]) for row in rows]


def _as_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return value


def _answer_groups() -> list[tuple]:
    kinds = list(ANSWER_KPIS)
    top = (
        Q(question__kind="nps", value__gte=9)
        | Q(question__kind="csat", value__gte=4)
        | Q(question__kind="ces", value__gte=5)
    )
    query = (
        Answer.objects.filter(question__kind__in=kinds, value__isnull=False)
        .values(
            kind=F("question__kind"),
            survey=F("response__survey_id"),
            touchpoint=F("response__touchpoint_id"),
            persona=F("response__customer__persona_id"),
            day=Trunc("response__submitted_at", "day", output_field=DateField(), tzinfo=ZoneInfo(settings.TIME_ZONE)),
        )
        .annotate(
            n=Count("id"),
            total=Sum("value"),
            total_sq=Sum(F("value") * F("value")),
            count_a=Count("id", filter=top),
            count_b=Count("id", filter=Q(question__kind="nps", value__in=[7, 8])),
            count_c=Count("id", filter=Q(question__kind="nps", value__lte=6)),
        )
        .order_by()
    )
    rows = _rows(query, ["kind", "survey", "touchpoint", "persona", "day", *STAT_FIELDS])
    kpis = {kind: str(kpi) for kind, kpi in ANSWER_KPIS.items()}
    return [(kpis[kind], *rest) for kind, *rest in rows]


def _invitation_groups() -> list[tuple]:
    """Response rate: invitations sent and those answered, by the local day each was first sent."""
    query = (
        Invitation.objects.filter(sent_at__isnull=False)
        .values(
            survey=F("campaign__survey_id"),
            touchpoint=F("campaign__survey__touchpoint_id"),
            persona=F("customer__persona_id"),
            day=local_day("sent_at"),
        )
        .annotate(n=Count("id"), count_a=Count("response"))
        .order_by()
    )
    rows = _rows(query, ["survey", "touchpoint", "persona", "day", "n", "count_a"])
    kpi = str(Kpi.RESPONSE_RATE)
    return [(kpi, *key, n, 0, 0, answered, 0, 0) for *key, n, answered in rows]


def _event_groups() -> list[tuple]:
    """Conversion rate: visits and conversions per touchpoint, persona (of the event's customer) and day."""
    query = (
        TouchpointEvent.objects.values("touchpoint_id", persona=F("customer__persona_id"), day=local_day("occurred_at"))
        .annotate(
            n=Count("id", filter=Q(kind=TouchpointEvent.Kind.VISIT)),
            count_a=Count("id", filter=Q(kind=TouchpointEvent.Kind.CONVERSION)),
        )
        .order_by()
    )
    rows = _rows(query, ["touchpoint_id", "persona", "day", "n", "count_a"])
    kpi = str(Kpi.CONVERSION_RATE)
    return [(kpi, None, tp, persona, day, n, 0, 0, conv, 0, 0) for tp, persona, day, n, conv in rows]


def _summed(parts: dict[tuple, list]) -> dict[tuple, tuple]:
    return {key: tuple(map(sum, zip(*rows, strict=True))) for key, rows in parts.items()}


def _roll_up(groups: list[tuple]) -> dict[tuple, Stats]:
    """Sum the groups into every scope's day cells, then the day cells into weeks, months and quarters.

    A large data set has hundreds of thousands of groups, so this is done in steps that each touch as
    few cells as possible — per (survey, touchpoint) and per persona first, then the touchpoint's stage,
    map and channel, then the longer buckets from the days — collecting the parts of each cell and
    summing them column by column (in C, not in a Python loop per number).
    """
    touchpoints = {
        tp["id"]: tp for tp in Touchpoint.objects.values("id", "channel", "stage_id", map_id=F("stage__journey_map_id"))
    }
    # Plain strings: enum members are slow to look up and hash in loops this long.
    company, survey_scope, persona_scope = str(ScopeType.COMPANY), str(ScopeType.SURVEY), str(ScopeType.PERSONA)
    tp_scope, stage_scope, map_scope, channel_scope = (
        str(ScopeType.TOUCHPOINT),
        str(ScopeType.STAGE),
        str(ScopeType.MAP),
        str(ScopeType.CHANNEL),
    )
    by_source: dict[tuple, list] = defaultdict(list)
    days: dict[tuple, list] = defaultdict(list)
    for kpi, survey, touchpoint, persona, day, *stats in groups:
        by_source[(kpi, survey, touchpoint, day)].append(stats)
        if persona is not None:
            days[(kpi, persona_scope, str(persona), day)].append(stats)
    for (kpi, survey, touchpoint, day), stats in _summed(by_source).items():
        days[(kpi, company, "", day)].append(stats)
        if survey is not None:
            days[(kpi, survey_scope, str(survey), day)].append(stats)
        tp = touchpoints.get(touchpoint)
        if tp is not None:
            days[(kpi, tp_scope, str(tp["id"]), day)].append(stats)
            days[(kpi, stage_scope, str(tp["stage_id"]), day)].append(stats)
            days[(kpi, map_scope, str(tp["map_id"]), day)].append(stats)
            days[(kpi, channel_scope, tp["channel"], day)].append(stats)
    day_cells = _summed(days)
    longer: dict[tuple, list] = defaultdict(list)
    starts: dict[date, list] = {}
    day_bucket = str(Bucket.DAY)
    buckets = [str(b) for b in Bucket.values if b != Bucket.DAY]
    for (kpi, scope_type, scope_key, day), stats in day_cells.items():
        day_starts = starts.get(day)
        if day_starts is None:
            day_starts = starts[day] = [(bucket, period_start(day, bucket)) for bucket in buckets]
        for bucket, start in day_starts:
            longer[(kpi, scope_type, scope_key, bucket, start)].append(stats)
    cells = {(kpi, st, sk, day_bucket, day): stats for (kpi, st, sk, day), stats in day_cells.items()}
    cells.update(_summed(longer))
    return {key: Stats(n, float(total or 0), float(sq or 0), a, b, c) for key, (n, total, sq, a, b, c) in cells.items()}


RECOMPUTE_LOCK_ID = 74_211_001
RECOMPUTE_WORK_MEM = "256MB"
# Longer than any transaction that writes a response is expected to stay open.
LATE_COMMIT_WINDOW = timedelta(minutes=5)


def _lock_recompute() -> None:
    """Serialise recomputations: reads and writes of one run happen under one lock.

    PostgreSQL takes a transaction-level advisory lock; SQLite's IMMEDIATE transactions already hold
    the database write lock from the start of the transaction.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RECOMPUTE_LOCK_ID])
            # For this transaction only (measured with bench/recompute.py): compiling the aggregates (JIT)
            # costs more than it saves on queries that read each row once; and the planner overestimates
            # the groups of the answer aggregate tenfold, so with the default work_mem it sorts a million
            # rows on disk instead of hashing them (4.7 s against 3.5 s; the memory actually used is that
            # of the real groups, a few MB).
            cursor.execute("SET LOCAL jit = off")
            cursor.execute(f"SET LOCAL work_mem = '{RECOMPUTE_WORK_MEM}'")


# The inputs besides responses whose change triggers a recomputation, with the time that marks a change.
# Customers are marked by ``updated_at``: an acquisition, churn or persona change moves their KPIs.
MARKED_SOURCES = {
    "events": (TouchpointEvent, "created_at"),
    "transactions": (Transaction, "created_at"),
    "customers": (Customer, "updated_at"),
    "invitations": (Invitation, "sent_at"),
}


def _markers() -> dict:
    """Per source: the newest marker time and how many rows fall in the window just before it."""
    markers = {}
    for name, (model, field) in MARKED_SOURCES.items():
        latest = model.objects.aggregate(m=Max(field))["m"]
        window_start = latest - LATE_COMMIT_WINDOW if latest else None
        count = model.objects.filter(**{f"{field}__gte": window_start}).count() if latest else 0
        markers[name] = {
            "max": latest.isoformat() if latest else None,
            "window_start": window_start.isoformat() if window_start else None,
            "count": count,
        }
    return markers


def _markers_changed(stored: dict) -> bool:
    """Whether any source got rows (or, for customers, changes) since the markers were taken."""
    for name, (model, field) in MARKED_SOURCES.items():
        marker = stored.get(name)
        if marker is None or marker["window_start"] is None:
            if model.objects.filter(**{f"{field}__isnull": False}).exists():
                return True
            continue
        window_start = datetime.fromisoformat(marker["window_start"])
        now = model.objects.aggregate(latest=Max(field), count=Count("pk", filter=Q(**{f"{field}__gte": window_start})))
        if now["count"] != marker["count"] or now["latest"] != datetime.fromisoformat(marker["max"]):
            return True
    return False


SNAPSHOT_KEY = ("kpi", "scope_type", "scope_key", "bucket", "period_start")
SNAPSHOT_VALUES = (*STAT_FIELDS, "value", "margin_of_error")


def _snapshots_write(cells: dict[tuple, Stats]) -> None:
    """Make the stored snapshots equal ``cells``: insert the new, update the changed, delete the stale.

    Unchanged snapshots are not written at all: a nightly run over a large data set changes few cells,
    and rewriting every row would cost more than computing them.
    """
    stored: dict[tuple, tuple] = {}
    rows = KpiSnapshot.objects.filter(kpi__in=list(REGISTRY)).order_by()
    for pk, *row in rows.values_list("pk", *SNAPSHOT_KEY, *SNAPSHOT_VALUES):
        stored[tuple(row[:5])] = (pk, tuple(row[5:]))
    computed_at = timezone.now()
    new, changed = [], []
    for key, stats in cells.items():
        result = compute(key[0], stats)
        values = (stats.n, stats.total, stats.total_sq, stats.count_a, stats.count_b, stats.count_c)
        values += (result.value, result.margin_of_error)
        pk, old = stored.pop(key, (None, None))
        if old != values:
            snapshot = KpiSnapshot(
                computed_at=computed_at,
                **dict(zip(SNAPSHOT_KEY, key, strict=True)),
                **dict(zip(SNAPSHOT_VALUES, values, strict=True)),
            )
            (new if pk is None else changed).append(snapshot)
    # Plain inserts for the new cells (no other run can have added them: runs hold the lock), an upsert
    # for the changed ones.
    KpiSnapshot.objects.bulk_create(new, batch_size=BATCH)
    for i in range(0, len(changed), BATCH):
        KpiSnapshot.objects.bulk_create(
            changed[i : i + BATCH],
            update_conflicts=True,
            unique_fields=list(SNAPSHOT_KEY),
            update_fields=[*SNAPSHOT_VALUES, "computed_at"],
        )
    # Cells that no longer have data (answers erased, survey moved) are stale.
    stale = [pk for pk, _values in stored.values()]
    for i in range(0, len(stale), BATCH):
        KpiSnapshot.objects.filter(pk__in=stale[i : i + BATCH]).delete()
    if connection.vendor == "postgresql" and len(new) + len(stale) > max(BATCH, len(cells) // 10):
        # A first run (or a large change) fills the table long before autovacuum notices; on stale
        # statistics the dashboards' queries scan whole index ranges (measured: 6× slower map badges).
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {KpiSnapshot._meta.db_table}")  # noqa: S608 - our own table name


@transaction.atomic
def snapshots_recompute(*, kind: str = RecomputeRun.Kind.FULL) -> RecomputeRun:
    """Recompute every KPI snapshot (all KPIs of the registry) for every scope and bucket."""
    _lock_recompute()
    started = timezone.now()
    # Read the change markers before the answers: a response committing in between is then counted
    # in the next check, and recomputed once more, rather than missed.
    watermark = Response.objects.aggregate(m=Max("created_at"))["m"]
    window_start = watermark - LATE_COMMIT_WINDOW if watermark else None
    window_count = Response.objects.filter(created_at__gte=window_start).count() if watermark else 0
    markers = _markers()
    cells = _roll_up(_answer_groups() + _invitation_groups() + _event_groups())
    cells.update(period_cells())
    _snapshots_write(cells)
    run = RecomputeRun.objects.create(
        kind=kind,
        started_at=started,
        finished_at=timezone.now(),
        data_watermark=watermark,
        window_start=window_start,
        window_count=window_count,
        markers=markers,
        snapshots_written=len(cells),
    )
    logger.info("Recomputed %d KPI snapshots (%s run)", len(cells), kind)
    return run


def snapshots_recompute_if_changed() -> RecomputeRun | None:
    """Recompute when data arrived since the last run; None when nothing changed.

    "Arrived" is judged by the responses created since shortly before the last run's newest one, so a
    response whose transaction committed after that run started is seen too; likewise for touchpoint
    events, transactions, sent invitations and changed customers (MARKED_SOURCES), whose window also
    notices a newer marker time. Deletions and moved surveys are picked up by the nightly full run.
    """
    last = RecomputeRun.objects.order_by("-started_at").first()
    if last is not None:
        if last.window_start is None:
            changed = Response.objects.exists()
        else:
            changed = Response.objects.filter(created_at__gte=last.window_start).count() != last.window_count
        changed = changed or _markers_changed(last.markers)
        if not changed:
            return None
    return snapshots_recompute(kind=RecomputeRun.Kind.CHANGED)
