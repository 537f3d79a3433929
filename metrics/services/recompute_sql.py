"""The recompute's PostgreSQL fast path: the roll-up into scope × bucket cells inside the database.

On PostgreSQL the fine groups go into a temporary table (the invitations, events, customers and revenue
read on a second connection while this one aggregates the answers, see ``beside``), and the scopes and
buckets are summed into a second temporary table, ``cx_recompute_cells``, which the snapshot diff
(``metrics.services.snapshot_diff.snapshots_write_sql``) compares with the stored snapshots. No stored
snapshot is read into Python. The minutely run is incremental here: it aggregates only the local days that
got new rows and sums the weeks, months and quarters holding them from those and the stored day snapshots
(``incremental_days``); deletions, moves, changed customers or formulas make it a full run.
The generic path (``metrics.services.recompute_groups.roll_up``) is what SQLite runs;
tests/metrics/test_recompute_sql.py checks that both write the same snapshots.
"""

from collections import namedtuple
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import Q

from journeys.models import Customer, Touchpoint
from metrics.customer_kpis import period_cells
from metrics.kpis import ANSWER_KPIS, REGISTRY, Stats, period_end, period_start
from metrics.models import Bucket, Kpi, KpiSnapshot, RecomputeRun, ScopeType, TouchpointEvent
from metrics.services.recompute_groups import (
    CELL_COLUMNS,
    FEEDBACK_KPIS,
    STAT_FIELDS,
    event_query,
    feedback_query,
    invitation_query,
)
from surveys.models import Answer, Invitation, Question, Response
from surveys.scales import NPS_DETRACTOR_MAX, NPS_PASSIVE_MAX, NPS_PASSIVE_MIN, TOP_BOX_MIN

# On PostgreSQL the roll-up into scope × bucket cells and the snapshot diff run inside the database
# (temporary tables; the new cells go in with COPY): in Python they cost more than the aggregates that
# read the answers. The generic path (recompute_groups.roll_up) stays for SQLite; both give the same snapshots
# (tests/metrics/test_recompute_sql.py). Tests switch the fast path off to compare.
SQL_FAST_PATH = True
StatRow = namedtuple("StatRow", STAT_FIELDS)  # what the KPI formulas read, without a dataclass per cell


def sql_fast_path() -> bool:
    return SQL_FAST_PATH and connection.vendor == "postgresql"


# An incremental run finds its days' rows by ranges of the indexed time columns (at most this many ranges;
# with more, by the local day computed per row, which reads the whole table).
MAX_DAY_RANGES = 64


def day_ranges(days: list[date]) -> list[tuple[datetime, datetime]] | None:
    """The instants of the local ``days`` (site time zone) as half-open ranges, consecutive days merged; None
    when there are more than MAX_DAY_RANGES. An index on the time column finds a range; the local day of each
    row (``AT TIME ZONE``) has to be computed over the whole table — at 10 M answers the difference between an
    incremental run that follows the new data and one that follows the history."""
    zone = ZoneInfo(settings.TIME_ZONE)
    ranges: list[tuple[datetime, datetime]] = []
    for day in sorted(set(days)):
        start = datetime.combine(day, time.min, tzinfo=zone)
        end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)
        if ranges and ranges[-1][1] == start:
            ranges[-1] = (ranges[-1][0], end)
        else:
            ranges.append((start, end))
    return ranges if len(ranges) <= MAX_DAY_RANGES else None


def _ranges_sql(column: str, ranges: list[tuple[datetime, datetime]] | None) -> tuple[str, list]:
    """`` AND (column in one of the ranges)`` and its parameters ('' when there are no ranges to use)."""
    if not ranges:
        return "", []
    return " AND (" + " OR ".join(f"({column} >= %s AND {column} < %s)" for _ in ranges) + ")", [
        x for pair in ranges for x in pair
    ]


def in_days(queryset, field: str, days: list[date]):
    """``queryset`` (annotated with its local ``day``) restricted to ``days``, by ranges of ``field`` as well."""
    queryset = queryset.filter(day__in=days)
    ranges = day_ranges(days)
    if ranges:
        q = Q()
        for start, end in ranges:
            q |= Q(**{f"{field}__gte": start, f"{field}__lt": end})
        queryset = queryset.filter(q)
    return queryset


def _answer_fine_sql(days: list[date] | None = None) -> tuple[str, list]:
    """One SELECT of the answers' fine-grain groups with their KPI and local date (of ``days`` only, if given)."""
    # The answers by hand rather than from _answer_query: the questions' KPI and top-box threshold looked up
    # once per question, the local day and persona once per response (not per answer), no text compared
    # per answer. tests/metrics/test_recompute_sql.py checks it against the generic path. The NPS bands
    # (surveys.scales) go in as integer literals: our constants, never input.
    answer, question, response, customer = (m._meta.db_table for m in (Answer, Question, Response, Customer))
    ranges_sql, range_params = _ranges_sql("r.submitted_at", day_ranges(days)) if days is not None else ("", [])
    kinds = list(ANSWER_KPIS.items())
    kpi_case = "CASE kind " + " ".join("WHEN %s THEN %s" for _ in kinds) + " END"
    top_case = "CASE kind " + " ".join("WHEN %s THEN %s" for _ in kinds) + " END"
    answers = (
        "SELECT q.kpi, r.survey_id AS survey, r.touchpoint_id AS touchpoint, r.persona_id AS persona, r.day, "  # noqa: S608
        "count(*)::integer AS n, sum(a.value)::float8 AS total, sum(a.value * a.value)::float8 AS total_sq, "
        "count(*) FILTER (WHERE a.value >= q.top)::integer AS count_a, "
        f"count(*) FILTER (WHERE q.nps AND a.value BETWEEN {NPS_PASSIVE_MIN:d} AND {NPS_PASSIVE_MAX:d})::integer "
        "AS count_b, "
        f"count(*) FILTER (WHERE q.nps AND a.value <= {NPS_DETRACTOR_MAX:d})::integer AS count_c "
        f"FROM {answer} AS a "
        f"JOIN (SELECT id, {kpi_case} AS kpi, {top_case}::integer AS top, kind = %s AS nps FROM {question} "
        "WHERE kind = ANY(%s) OFFSET 0) AS q ON q.id = a.question_id "
        "JOIN (SELECT r.id, r.survey_id, r.touchpoint_id, c.persona_id, (r.submitted_at AT TIME ZONE %s)::date AS day "
        f"FROM {response} AS r LEFT JOIN {customer} AS c ON c.id = r.customer_id "
        f"{'' if days is None else 'WHERE (r.submitted_at AT TIME ZONE %s)::date = ANY(%s::date[]) '}"
        f"{ranges_sql}OFFSET 0) AS r "
        "ON r.id = a.response_id WHERE a.value IS NOT NULL GROUP BY 1, 2, 3, 4, 5"
    )
    answer_params = [str(x) for kind, kpi in kinds for x in (kind, kpi)]
    answer_params += [x for kind, _kpi in kinds for x in (kind, TOP_BOX_MIN[kind])]
    answer_params += ["nps", [kind for kind, _kpi in kinds], settings.TIME_ZONE]
    if days is not None:
        answer_params += [settings.TIME_ZONE, days, *range_params]
    return answers, answer_params


def _other_fine_sql(days: list[date] | None = None) -> tuple[str, list]:
    """One SELECT of the invitations' and touchpoint events' fine-grain groups, in the columns of the answers'
    (of ``days`` only, if given)."""
    invitations_query, events_query, feedback = invitation_query(), event_query(), feedback_query()
    if days is not None:
        invitations_query = in_days(invitations_query, "sent_at", days)
        events_query = in_days(events_query, "occurred_at", days)
        feedback = in_days(feedback, "occurred_at", days)
    invitations, invitation_params = invitations_query.query.sql_with_params()
    events, event_params = events_query.query.sql_with_params()
    items, item_params = feedback.query.sql_with_params()
    sql = (
        "SELECT %s::text, g.survey, g.touchpoint, g.persona, g.day::date, "  # noqa: S608
        f"g.n::integer, 0::float8, 0::float8, g.count_a::integer, 0, 0 FROM ({invitations}) AS g "
        "UNION ALL SELECT %s::text, NULL::bigint, g.touchpoint_id, g.persona, g.day::date, "
        f"g.n::integer, 0::float8, 0::float8, g.count_a::integer, 0, 0 FROM ({events}) AS g "
        "UNION ALL SELECT k.kpi, g.survey, g.touchpoint_id, g.persona, g.day::date, "
        f"g.n::integer, g.total::float8, g.total_sq::float8, g.count_a::integer, 0, 0 FROM ({items}) AS g "
        "CROSS JOIN unnest(%s::text[]) AS k (kpi)"
    )
    return sql, [
        str(Kpi.RESPONSE_RATE),
        *invitation_params,
        str(Kpi.CONVERSION_RATE),
        *event_params,
        *item_params,
        list(FEEDBACK_KPIS),
    ]


def side_sources(days: list[date] | None = None) -> tuple[bytes, dict[tuple, Stats]]:
    """What the recompute reads besides the answers: the invitation and event groups (as COPY text, to be
    copied beside the answers' groups) and the period KPIs' cells. It may run on a second connection."""
    sql, params = _other_fine_sql(days)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY ({sql}) TO STDOUT", params) as copy:
        groups = b"".join(bytes(chunk) for chunk in copy)
    return groups, period_cells()


def affected_periods(days: list[date]) -> list[tuple[str, date]]:
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
    periods = affected_periods(days)
    first = min((start for _bucket, start in periods), default=date(1900, 1, 1))
    end = max((period_end(start, bucket) for bucket, start in periods), default=first)
    additive = [str(k) for k, d in REGISTRY.items() if d.additive]
    return [[b for b, _s in periods], [s for _b, s in periods], additive, str(Bucket.DAY), first, end, days]


# Counts as integer (sum(integer) adds in int8; sum(bigint) would add in numeric), like the snapshot columns.
SUMS = (
    "sum({p}n)::integer AS n, sum({p}total) AS total, sum({p}total_sq) AS total_sq, sum({p}count_a)::integer "
    "AS count_a, sum({p}count_b)::integer AS count_b, sum({p}count_c)::integer AS count_c"
)


def cells_table_sql(side: Callable[[], tuple[bytes, dict[tuple, Stats]]], days: list[date] | None = None) -> int:
    """``roll_up`` inside PostgreSQL, into the temporary table ``cx_recompute_cells``: the fine groups summed
    into every scope's days, the days into longer buckets, and the period KPIs' cells copied beside them.
    Statistics only (no values); returns the number of cells. ``side`` gives what ``side_sources`` read (it
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
        copy_lines(
            cursor, "cx_recompute_cells", CELL_COLUMNS, (cell_line(k, stats) for k, stats in period_cells.items())
        )
    return rolled_up + len(period_cells)


NULL = "\\N"


def _copy_text(text: str) -> str:
    """``text`` escaped for COPY's text format."""
    if any(c in text for c in "\\\t\n\r"):
        return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def copy_value(value) -> str:
    return NULL if value is None else repr(value)


def cell_line(key: tuple, stats) -> str:
    """A cell's key and statistics as one line of COPY's text format."""
    kpi, scope_type, scope_key, bucket, start = key
    return (
        f"{kpi!s}\t{scope_type!s}\t{_copy_text(scope_key)}\t{bucket!s}\t{start.isoformat()}\t{stats.n}\t"
        f"{stats.total!r}\t{stats.total_sq!r}\t{stats.count_a}\t{stats.count_b}\t{stats.count_c}"
    )


def copy_lines(cursor, table: str, columns: str, lines) -> None:
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


# Whether invitations, events, customers and revenue may be read on a second connection while this one
# aggregates the answers (see beside).
PARALLEL = True


def beside(function: Callable[[], object]) -> Callable[[], object]:
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


def incremental_days(last: RecomputeRun | None, markers: dict, formulas: str) -> list[date] | None:
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
    if previous.get("feedback") != markers.get("feedback"):  # analysed texts (re-analysis moves old days too)
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
