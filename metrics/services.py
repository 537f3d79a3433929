"""Recomputing KPI snapshots from answers, invitations, touchpoint events, customers and revenue.

For the additive KPIs one database aggregate per source groups the data at the finest grain the scopes
need (KPI × survey × touchpoint × persona × local day): answers (NPS, CSAT, CES), invitations (response
rate, by the day they were first sent) and touchpoint events (conversion rate). Every scope and bucket is
then a sum of those groups, because the statistics a snapshot keeps are additive. The period KPIs (churn,
retention, CLV) come from ``metrics.customer_kpis``. The stored snapshots are then made equal to the
computed ones — new cells inserted, changed ones updated, unchanged ones left alone, and those whose data
has gone (e.g. after an erasure) removed — so a run is idempotent and two overlapping runs agree.

On PostgreSQL the same happens inside the database: the fine groups go into a temporary table (the
invitations, events, customers and revenue read on a second connection while this one aggregates the
answers, see ``_beside``), the scopes and buckets are summed into a second temporary table, and one hash
join with the stored snapshots finds the cells whose statistics changed. Only their values are computed
(in Python, with Python's rounding) and written; a run over unchanged data writes nothing, and a run
after the formulas changed (``metrics.kpis.formula_signature``) computes every value again. No stored
snapshot is read into Python. The minutely run (``snapshots_recompute_if_changed``) is incremental there:
it aggregates only the local days that got new rows and sums the weeks, months and quarters holding them
from those and the stored day snapshots (``_incremental_days``); deletions, moves, changed customers or
formulas make it a full run. The generic path is what SQLite runs; tests/metrics/test_recompute_sql.py
checks that both write the same snapshots.
bench/recompute.py measures a full run over 1,000,000 answers against one hand-written SQL aggregate.
"""

import logging
from collections import defaultdict, namedtuple
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, DateField, F, Max, Q, Sum
from django.db.models.functions import Trunc
from django.utils import timezone

from journeys.models import Customer, Touchpoint
from metrics.changes import inputs_version
from metrics.customer_kpis import local_day, period_cells
from metrics.kpis import ANSWER_KPIS, PERIOD_KPIS, REGISTRY, Stats, compute, formula_signature, period_end, period_start
from metrics.models import Bucket, Kpi, KpiSnapshot, RecomputeRun, ScopeType, TouchpointEvent, Transaction
from surveys.models import Answer, Invitation, Question, Response

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


# count_a of the answer KPIs: the answers at or above these (NPS promoters, CSAT 4–5, CES 5–7); NPS also
# counts passives (7–8, count_b) and detractors (0–6, count_c).
TOP_BOX = {"nps": 9, "csat": 4, "ces": 5}


def _answer_query():
    """Answers grouped at the finest grain: kind, survey, touchpoint, persona, local day."""
    kinds = list(ANSWER_KPIS)
    top = Q()
    for kind, threshold in TOP_BOX.items():
        top |= Q(question__kind=kind, value__gte=threshold)
    return (
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


def _answer_groups() -> list[tuple]:
    rows = _rows(_answer_query(), ["kind", "survey", "touchpoint", "persona", "day", *STAT_FIELDS])
    kpis = {kind: str(kpi) for kind, kpi in ANSWER_KPIS.items()}
    return [(kpis[kind], *rest) for kind, *rest in rows]


def _invitation_query():
    """Response rate: invitations sent and those answered, by the local day each was first sent."""
    return (
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


def _invitation_groups() -> list[tuple]:
    rows = _rows(_invitation_query(), ["survey", "touchpoint", "persona", "day", "n", "count_a"])
    kpi = str(Kpi.RESPONSE_RATE)
    return [(kpi, *key, n, 0, 0, answered, 0, 0) for *key, n, answered in rows]


def _event_query():
    """Conversion rate: visits and conversions per touchpoint, persona (of the event's customer) and day."""
    return (
        TouchpointEvent.objects.values("touchpoint_id", persona=F("customer__persona_id"), day=local_day("occurred_at"))
        .annotate(
            n=Count("id", filter=Q(kind=TouchpointEvent.Kind.VISIT)),
            count_a=Count("id", filter=Q(kind=TouchpointEvent.Kind.CONVERSION)),
        )
        .order_by()
    )


def _event_groups() -> list[tuple]:
    rows = _rows(_event_query(), ["touchpoint_id", "persona", "day", "n", "count_a"])
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


# On PostgreSQL the roll-up into scope × bucket cells and the snapshot diff run inside the database
# (temporary tables; the new cells go in with COPY): in Python they cost more than the aggregates that
# read the answers. The generic path above stays for SQLite; both give the same snapshots
# (tests/metrics/test_recompute_sql.py). Tests switch the fast path off to compare.
SQL_FAST_PATH = True
StatRow = namedtuple("StatRow", STAT_FIELDS)  # what the KPI formulas read, without a dataclass per cell


def _sql_fast_path() -> bool:
    return SQL_FAST_PATH and connection.vendor == "postgresql"


def _answer_fine_sql(days: list[date] | None = None) -> tuple[str, list]:
    """One SELECT of the answers' fine-grain groups with their KPI and local date (of ``days`` only, if given)."""
    # The answers by hand rather than from _answer_query: the questions' KPI and top-box threshold looked up
    # once per question, the local day and persona once per response (not per answer), no text compared
    # per answer. tests/metrics/test_recompute_sql.py checks it against the generic path.
    answer, question, response, customer = (m._meta.db_table for m in (Answer, Question, Response, Customer))
    kinds = list(ANSWER_KPIS.items())
    kpi_case = "CASE kind " + " ".join("WHEN %s THEN %s" for _ in kinds) + " END"
    top_case = "CASE kind " + " ".join("WHEN %s THEN %s" for _ in kinds) + " END"
    answers = (
        "SELECT q.kpi, r.survey_id AS survey, r.touchpoint_id AS touchpoint, r.persona_id AS persona, r.day, "  # noqa: S608
        "count(*)::integer AS n, sum(a.value)::float8 AS total, sum(a.value * a.value)::float8 AS total_sq, "
        "count(*) FILTER (WHERE a.value >= q.top)::integer AS count_a, "
        "count(*) FILTER (WHERE q.nps AND a.value BETWEEN 7 AND 8)::integer AS count_b, "
        "count(*) FILTER (WHERE q.nps AND a.value <= 6)::integer AS count_c "
        f"FROM {answer} AS a "
        f"JOIN (SELECT id, {kpi_case} AS kpi, {top_case}::integer AS top, kind = %s AS nps FROM {question} "
        "WHERE kind = ANY(%s) OFFSET 0) AS q ON q.id = a.question_id "
        "JOIN (SELECT r.id, r.survey_id, r.touchpoint_id, c.persona_id, (r.submitted_at AT TIME ZONE %s)::date AS day "
        f"FROM {response} AS r LEFT JOIN {customer} AS c ON c.id = r.customer_id "
        f"{'' if days is None else 'WHERE (r.submitted_at AT TIME ZONE %s)::date = ANY(%s::date[]) '}OFFSET 0) AS r "
        "ON r.id = a.response_id WHERE a.value IS NOT NULL GROUP BY 1, 2, 3, 4, 5"
    )
    answer_params = [str(x) for kind, kpi in kinds for x in (kind, kpi)]
    answer_params += [x for kind, _kpi in kinds for x in (kind, TOP_BOX[kind])]
    answer_params += ["nps", [kind for kind, _kpi in kinds], settings.TIME_ZONE]
    if days is not None:
        answer_params += [settings.TIME_ZONE, days]
    return answers, answer_params


def _other_fine_sql(days: list[date] | None = None) -> tuple[str, list]:
    """One SELECT of the invitations' and touchpoint events' fine-grain groups, in the columns of the answers'
    (of ``days`` only, if given)."""
    invitation_query, event_query = _invitation_query(), _event_query()
    if days is not None:
        invitation_query, event_query = invitation_query.filter(day__in=days), event_query.filter(day__in=days)
    invitations, invitation_params = invitation_query.query.sql_with_params()
    events, event_params = event_query.query.sql_with_params()
    sql = (
        "SELECT %s::text, g.survey, g.touchpoint, g.persona, g.day::date, "  # noqa: S608
        f"g.n::integer, 0::float8, 0::float8, g.count_a::integer, 0, 0 FROM ({invitations}) AS g "
        "UNION ALL SELECT %s::text, NULL::bigint, g.touchpoint_id, g.persona, g.day::date, "
        f"g.n::integer, 0::float8, 0::float8, g.count_a::integer, 0, 0 FROM ({events}) AS g"
    )
    return sql, [str(Kpi.RESPONSE_RATE), *invitation_params, str(Kpi.CONVERSION_RATE), *event_params]


def _side_sources(days: list[date] | None = None) -> tuple[bytes, dict[tuple, Stats]]:
    """What the recompute reads besides the answers: the invitation and event groups (as COPY text, to be
    copied beside the answers' groups) and the period KPIs' cells. It may run on a second connection."""
    sql, params = _other_fine_sql(days)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY ({sql}) TO STDOUT", params) as copy:
        groups = b"".join(bytes(chunk) for chunk in copy)
    return groups, period_cells()


def _affected_periods(days: list[date]) -> list[tuple[str, date]]:
    """The (bucket, start) of every week, month and quarter holding one of ``days``."""
    longer = [str(b) for b in Bucket.values if b != Bucket.DAY]
    return sorted({(bucket, period_start(day, bucket)) for day in days for bucket in longer})


def _stored_days_sql() -> str:
    """The CTEs of an incremental run: the periods to sum again, and their days — recomputed ones from
    ``days``, the others from the stored day snapshots."""
    table = KpiSnapshot._meta.db_table
    return (
        ", affected (bucket, start) AS (SELECT * FROM unnest(%s::text[], %s::date[])), "  # noqa: S608
        "all_days AS (SELECT kpi, scope_type, scope_key, day, n, total, total_sq, count_a, count_b, count_c "
        "FROM days UNION ALL SELECT s.kpi, s.scope_type, s.scope_key, s.period_start, s.n, s.total, s.total_sq, "
        f"s.count_a, s.count_b, s.count_c FROM {table} AS s WHERE s.kpi = ANY(%s) AND s.bucket = %s "
        "AND s.period_start >= %s AND s.period_start < %s AND NOT s.period_start = ANY(%s::date[])) "
    )


def _stored_days_params(days: list[date]) -> list:
    periods = _affected_periods(days)
    first = min((start for _bucket, start in periods), default=date(1900, 1, 1))
    end = max((period_end(start, bucket) for bucket, start in periods), default=first)
    additive = [str(k) for k, d in REGISTRY.items() if d.additive]
    return [[b for b, _s in periods], [s for _b, s in periods], additive, str(Bucket.DAY), first, end, days]


# Counts as integer (sum(integer) adds in int8; sum(bigint) would add in numeric), like the snapshot columns.
SUMS = (
    "sum({p}n)::integer AS n, sum({p}total) AS total, sum({p}total_sq) AS total_sq, sum({p}count_a)::integer "
    "AS count_a, sum({p}count_b)::integer AS count_b, sum({p}count_c)::integer AS count_c"
)


def _cells_table_sql(side: Callable[[], tuple[bytes, dict[tuple, Stats]]], days: list[date] | None = None) -> int:
    """``_roll_up`` inside PostgreSQL, into the temporary table ``cx_recompute_cells``: the fine groups summed
    into every scope's days, the days into longer buckets, and the period KPIs' cells copied beside them.
    Statistics only (no values); returns the number of cells. ``side`` gives what ``_side_sources`` read (it
    may wait for another connection to finish reading it).

    With ``days`` (an incremental run) the fine groups are those of these local days only: the cells are
    then those days' and the weeks, months and quarters holding them, each longer one summed from the new
    day cells and the stored day snapshots of its other days."""
    touchpoint, stage = Touchpoint._meta.db_table, Touchpoint._meta.get_field("stage").related_model._meta.db_table
    fine_sql, params = _answer_fine_sql(days)
    scopes = [
        (ScopeType.COMPANY, "''"),
        (ScopeType.SURVEY, "f.survey::text"),
        (ScopeType.TOUCHPOINT, "tp.id::text"),
        (ScopeType.STAGE, "tp.stage_id::text"),
        (ScopeType.MAP, "st.journey_map_id::text"),
        (ScopeType.CHANNEL, "tp.channel::text"),
    ]
    values = ", ".join(f"(%s, {expression})" for _scope, expression in scopes)
    longer = [str(b) for b in Bucket.values if b != Bucket.DAY]
    starts = ", ".join("(%s, date_trunc(%s, d.day::timestamp)::date)" for _ in longer)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS cx_recompute_fine, cx_recompute_cells")
        cursor.execute(f"CREATE TEMPORARY TABLE cx_recompute_fine ON COMMIT DROP AS {fine_sql}", params)
        other_groups, period_cells = side()
        with cursor.cursor.copy("COPY cx_recompute_fine FROM STDIN") as copy:
            copy.write(other_groups)
        # The persona scope from the fine groups, every other scope from the groups of (survey, touchpoint):
        # far fewer rows to spread over six scopes.
        cursor.execute(
            f"CREATE TEMPORARY TABLE cx_recompute_cells ON COMMIT DROP AS "  # noqa: S608 - our own table names
            f"WITH source AS (SELECT kpi, survey, touchpoint, day, {SUMS.format(p='')} "
            "FROM cx_recompute_fine GROUP BY 1, 2, 3, 4), "
            f"days AS MATERIALIZED (SELECT f.kpi, s.scope_type, s.scope_key, f.day, {SUMS.format(p='f.')} "
            f"FROM source AS f LEFT JOIN {touchpoint} AS tp ON tp.id = f.touchpoint "
            f"LEFT JOIN {stage} AS st ON st.id = tp.stage_id "
            f"CROSS JOIN LATERAL (VALUES {values}) AS s (scope_type, scope_key) "
            "WHERE s.scope_key IS NOT NULL GROUP BY 1, 2, 3, 4 "
            f"UNION ALL SELECT kpi, %s, persona::text, day, {SUMS.format(p='')} "
            "FROM cx_recompute_fine WHERE persona IS NOT NULL GROUP BY 1, 2, 3, 4) "
            f"{_stored_days_sql() if days is not None else ''}"
            f"SELECT {CELL_COLUMNS} FROM ("
            "SELECT kpi, scope_type, scope_key, %s AS bucket, day AS period_start, n, total, total_sq, count_a, "
            "count_b, count_c FROM days "
            f"UNION ALL SELECT d.kpi, d.scope_type, d.scope_key, b.bucket, b.start, {SUMS.format(p='d.')} "
            f"FROM {'days' if days is None else 'all_days'} AS d "
            f"CROSS JOIN LATERAL (VALUES {starts}) AS b (bucket, start) "
            f"{'' if days is None else 'WHERE (b.bucket, b.start) IN (SELECT * FROM affected) '}"
            "GROUP BY 1, 2, 3, 4, 5) AS cells",
            [
                *(str(scope) for scope, _expression in scopes),
                str(ScopeType.PERSONA),
                *(() if days is None else _stored_days_params(days)),
                str(Bucket.DAY),
                *(x for bucket in longer for x in (bucket, bucket)),
            ],
        )
        rolled_up = cursor.rowcount
        cursor.execute("DROP TABLE cx_recompute_fine")
        _copy(cursor, "cx_recompute_cells", CELL_COLUMNS, (_cell_line(k, stats) for k, stats in period_cells.items()))
    return rolled_up + len(period_cells)


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
    """Per source: the newest marker time and how many rows fall in the window just before it; and the
    version of the changes that leave no time (deletions, moved touchpoints: metrics.changes)."""
    markers = {"inputs": inputs_version()}
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
    """Whether any source got rows (or, for customers, changes) since the markers were taken, or rows were
    deleted or moved meanwhile."""
    if stored.get("inputs", 0) != inputs_version():
        return True
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


NULL = "\\N"
CELL_COLUMNS = ", ".join((*SNAPSHOT_KEY, *STAT_FIELDS))


def _copy_text(text: str) -> str:
    """``text`` escaped for COPY's text format."""
    if any(c in text for c in "\\\t\n\r"):
        return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def _copy_value(value) -> str:
    return NULL if value is None else repr(value)


def _cell_line(key: tuple, stats) -> str:
    """A cell's key and statistics as one line of COPY's text format."""
    kpi, scope_type, scope_key, bucket, start = key
    return (
        f"{kpi!s}\t{scope_type!s}\t{_copy_text(scope_key)}\t{bucket!s}\t{start.isoformat()}\t{stats.n}\t"
        f"{stats.total!r}\t{stats.total_sq!r}\t{stats.count_a}\t{stats.count_b}\t{stats.count_c}"
    )


def _copy(cursor, table: str, columns: str, lines) -> None:
    """COPY ``lines`` (text format, no line ends) into ``table`` in large chunks: psycopg's write_row per
    row costs more than everything else done with a cell."""
    with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        chunk = []
        for line in lines:
            chunk.append(line)
            if len(chunk) == 10_000:
                copy.write("\n".join(chunk) + "\n")
                chunk = []
        if chunk:
            copy.write("\n".join(chunk) + "\n")


def _snapshots_write_sql(*, cells: int, all_values: bool, days: list[date] | None = None) -> None:
    """``_snapshots_write`` inside PostgreSQL: make the stored snapshots equal the cells of
    ``cx_recompute_cells``.

    One hash join finds the cells whose statistics differ from the stored ones (or that are new or gone).
    Only those cells' values are computed (in Python: Python's rounding is the definition) — a value is a
    function of the statistics and the formulas, so a cell whose statistics did not change keeps its value,
    unless ``all_values`` (the formulas changed since the last run): then every value is computed again.
    With ``days`` (an incremental run) only the stored snapshots those cells can replace are compared: the
    period KPIs', and the additive KPIs' of those days and of the periods holding them.
    """
    table = KpiSnapshot._meta.db_table
    stored, stored_params = "kpi = ANY(%s)", [[str(kpi) for kpi in REGISTRY]]
    if days is not None:
        periods = _affected_periods(days)
        stored = (
            "kpi = ANY(%s) OR (bucket = %s AND period_start = ANY(%s::date[])) "
            "OR (bucket, period_start) IN (SELECT * FROM unnest(%s::text[], %s::date[]))"
        )
        stored_params = [
            [str(kpi) for kpi in PERIOD_KPIS],
            str(Bucket.DAY),
            days,
            [b for b, _s in periods],
            [s for _b, s in periods],
        ]
    key = " AND ".join(f"s.{c} = c.{c}" for c in SNAPSHOT_KEY)
    compared = ", ".join(f"s.{c}" for c in STAT_FIELDS), ", ".join(f"c.{c}" for c in STAT_FIELDS)
    changed = "TRUE" if all_values else f"({compared[0]}) IS DISTINCT FROM ({compared[1]})"
    with connection.cursor() as cursor:
        # A merge join sorts both sides by text first: twice as slow as one hash join.
        cursor.execute("SELECT current_setting('enable_mergejoin')")
        (mergejoin,) = cursor.fetchone()
        cursor.execute("SELECT set_config('enable_mergejoin', 'off', true)")
        cursor.execute("DROP TABLE IF EXISTS cx_recompute_diff, cx_recompute_values")
        cursor.execute(
            "CREATE TEMPORARY TABLE cx_recompute_diff ON COMMIT DROP AS "  # noqa: S608 - our own table and columns
            f"SELECT s.id, {', '.join(f'c.{c}' for c in (*SNAPSHOT_KEY, *STAT_FIELDS))} "
            f"FROM (SELECT * FROM {table} WHERE {stored}) AS s FULL JOIN cx_recompute_cells AS c ON {key} "
            f"WHERE s.id IS NULL OR c.kpi IS NULL OR {changed}",
            stored_params,
        )
        cursor.execute("SELECT set_config('enable_mergejoin', %s, true)", [mergejoin])
        cursor.execute(
            f"DELETE FROM {table} WHERE id IN (SELECT id FROM cx_recompute_diff WHERE kpi IS NULL)"  # noqa: S608
        )
        stale = cursor.rowcount
        cursor.execute(f"SELECT id, {CELL_COLUMNS} FROM cx_recompute_diff WHERE kpi IS NOT NULL")  # noqa: S608
        rows = cursor.fetchall()
        lines = []
        for pk, *key_values, n, total, total_sq, count_a, count_b, count_c in rows:
            stats = StatRow(n, total, total_sq, count_a, count_b, count_c)
            result = compute(key_values[0], stats)
            lines.append(
                f"{_copy_value(pk)}\t{_cell_line(key_values, stats)}\t"
                f"{_copy_value(result.value)}\t{_copy_value(result.margin_of_error)}"
            )
        cursor.execute(
            f"CREATE TEMPORARY TABLE cx_recompute_values ON COMMIT DROP AS SELECT id, {CELL_COLUMNS}, "  # noqa: S608
            f"value, margin_of_error FROM {table} WITH NO DATA"
        )
        listed = ", ".join((*SNAPSHOT_KEY, *SNAPSHOT_VALUES))
        _copy(cursor, "cx_recompute_values", f"id, {listed}", lines)
        computed_at = timezone.now()
        cursor.execute(
            f"UPDATE {table} AS s SET ({', '.join(SNAPSHOT_VALUES)}, computed_at) = "  # noqa: S608
            f"({', '.join(f'v.{c}' for c in SNAPSHOT_VALUES)}, %s) FROM cx_recompute_values AS v "
            "WHERE s.id = v.id",
            [computed_at],
        )
        cursor.execute(
            f"INSERT INTO {table} ({listed}, computed_at) SELECT {listed}, %s "  # noqa: S608
            "FROM cx_recompute_values WHERE id IS NULL",
            [computed_at],
        )
        new = cursor.rowcount
        cursor.execute("DROP TABLE cx_recompute_cells, cx_recompute_diff, cx_recompute_values")
        if new + stale > max(BATCH, cells // 10):
            # As in _snapshots_write: fresh statistics for the dashboards after a large change.
            cursor.execute(f"ANALYZE {table}")  # noqa: S608 - our own table name


# Whether invitations, events, customers and revenue may be read on a second connection while this one
# aggregates the answers (see _beside).
PARALLEL = True


def _beside(function: Callable[[], object]) -> Callable[[], object]:
    """Start ``function`` on a database connection of its own, in a thread, while this connection goes on;
    returns a callable that waits for its result.

    On PostgreSQL the answers and the other sources (about as many rows again) are then aggregated on two
    cores at once; otherwise the recompute is one query after another. The other connection reads committed
    data, like each statement of this READ COMMITTED transaction; the change markers were read before
    either, so rows committing meanwhile are recomputed by the next run, as on one connection. Run right
    here instead when this transaction is nested in another one: the other connection would not see the
    caller's uncommitted rows.
    """
    if not PARALLEL or connection.vendor != "postgresql" or len(connection.atomic_blocks) > 1:
        result = function()
        return lambda: result

    def run():
        try:
            return function()
        finally:
            connection.close()  # this thread's own connection

    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="recompute")
    future = executor.submit(run)
    executor.shutdown(wait=False)  # the thread ends with the function
    return future.result


def _incremental_days(last: RecomputeRun | None, markers: dict, formulas: str) -> list[date] | None:
    """The local days whose additive KPIs can have changed since ``last``, when only they need computing;
    None when everything must be (no last run, other formulas, deletions or moves, changed customers).

    New rows since the last run — by the same windows the change check uses — touch the days they fall on:
    a response its submission day (and its invitation's sending day, for the response rate), a sent
    invitation its sending day, a touchpoint event the day it occurred. Transactions only move churn,
    retention and CLV, which every run computes in full.
    """
    if last is None or last.formulas != formulas:
        return None
    previous = last.markers or {}
    if previous.get("inputs") != markers["inputs"] or previous.get("customers") != markers["customers"]:
        return None
    since = {
        "responses": last.window_start,
        "invitations": (previous.get("invitations") or {}).get("window_start"),
        "events": (previous.get("events") or {}).get("window_start"),
    }
    sources = {"responses": Response, "invitations": Invitation, "events": TouchpointEvent}
    if any(since[name] is None and sources[name].objects.exists() for name in since):
        return None  # a source that had no rows at the last run: all of its rows are new
    response, invitation, event = (m._meta.db_table for m in (Response, Invitation, TouchpointEvent))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (submitted_at AT TIME ZONE %(tz)s)::date FROM {response} WHERE created_at >= %(responses)s "  # noqa: S608
            f"UNION SELECT (i.sent_at AT TIME ZONE %(tz)s)::date FROM {invitation} AS i JOIN {response} AS r "
            "ON r.invitation_id = i.id WHERE r.created_at >= %(responses)s AND i.sent_at IS NOT NULL "
            f"UNION SELECT (sent_at AT TIME ZONE %(tz)s)::date FROM {invitation} WHERE sent_at >= %(invitations)s "
            f"UNION SELECT (occurred_at AT TIME ZONE %(tz)s)::date FROM {event} WHERE created_at >= %(events)s",
            {
                "tz": settings.TIME_ZONE,
                **{name: value and datetime.fromisoformat(str(value)) for name, value in since.items()},
            },
        )
        return sorted(day for (day,) in cursor.fetchall())


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
    formulas = formula_signature()
    if _sql_fast_path():
        last = RecomputeRun.objects.order_by("-started_at").first()
        days = _incremental_days(last, markers, formulas) if kind == RecomputeRun.Kind.CHANGED else None
        count = _cells_table_sql(_beside(lambda: _side_sources(days)), days)
        _snapshots_write_sql(cells=count, all_values=last is None or last.formulas != formulas, days=days)
    else:
        cells = _roll_up(_answer_groups() + _invitation_groups() + _event_groups())
        cells.update(period_cells())
        _snapshots_write(cells)
        count = len(cells)
    run = RecomputeRun.objects.create(
        kind=kind,
        started_at=started,
        finished_at=timezone.now(),
        data_watermark=watermark,
        window_start=window_start,
        window_count=window_count,
        markers=markers,
        formulas=formulas,
        snapshots_written=count,
    )
    logger.info("Recomputed %d KPI snapshots (%s run)", count, kind)
    return run


def snapshots_recompute_if_changed() -> RecomputeRun | None:
    """Recompute when data arrived since the last run; None when nothing changed.

    "Arrived" is judged by the responses created since shortly before the last run's newest one, so a
    response whose transaction committed after that run started is seen too; likewise for touchpoint
    events, transactions, sent invitations and changed customers (MARKED_SOURCES), whose window also
    notices a newer marker time. Deletions, moved touchpoints and edited surveys bump a counter
    (metrics.changes) that is compared too.
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
