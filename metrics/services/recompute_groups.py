"""The recompute's inputs at the finest grain, and the generic roll-up of them into snapshot cells.

One database aggregate per source groups the data at the finest grain the scopes need (KPI × survey ×
touchpoint × persona × local day): answers (NPS, CSAT, CES), invitations (response rate, by the day they
were first sent) and touchpoint events (conversion rate). ``roll_up`` then sums them into every scope's
day, week, month and quarter cells in Python — the generic path, which SQLite runs; PostgreSQL does the
same in SQL (``metrics.services.recompute_sql``). The cell vocabulary (``STAT_FIELDS``, ``SNAPSHOT_KEY``)
is shared by both paths and by the snapshot diff.
"""

from collections import defaultdict
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import Count, DateField, F, Q, Sum
from django.db.models.functions import Round, Trunc

from journeys.models import Touchpoint
from metrics.customer_kpis import local_day
from metrics.kpis import ANSWER_KPIS, SCORE_UNITS, Stats, period_start
from metrics.models import Bucket, Kpi, ScopeType, TouchpointEvent
from surveys import scales
from surveys.models import Answer, Invitation

BATCH = 2000

# Every group below is a tuple (kpi, survey, touchpoint, persona, local day, n, total, total_sq, count_a,
# count_b, count_c): tuples rather than dicts, because a large data set has hundreds of thousands of them.
STAT_FIELDS = ("n", "total", "total_sq", "count_a", "count_b", "count_c")
SNAPSHOT_KEY = ("kpi", "scope_type", "scope_key", "bucket", "period_start")
SNAPSHOT_VALUES = (*STAT_FIELDS, "value", "margin_of_error")
CELL_COLUMNS = ", ".join((*SNAPSHOT_KEY, *STAT_FIELDS))


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


def _answer_query():
    """Answers grouped at the finest grain: kind, survey, touchpoint, persona, local day.

    count_a counts the answers in their kind's top box (NPS promoters, CSAT satisfied, CES easy); NPS also
    counts passives (count_b) and detractors (count_c) — the bands of ``surveys.scales``.
    """
    kinds = list(ANSWER_KPIS)
    top = scales.top_box_q(kinds)
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
            count_b=Count("id", filter=scales.nps_passives_q()),
            count_c=Count("id", filter=scales.nps_detractors_q()),
        )
        .order_by()
    )


def answer_groups() -> list[tuple]:
    rows = _rows(_answer_query(), ["kind", "survey", "touchpoint", "persona", "day", *STAT_FIELDS])
    kpis = {kind: str(kpi) for kind, kpi in ANSWER_KPIS.items()}
    return [(kpis[kind], *rest) for kind, *rest in rows]


def invitation_query():
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


def invitation_groups() -> list[tuple]:
    rows = _rows(invitation_query(), ["survey", "touchpoint", "persona", "day", "n", "count_a"])
    kpi = str(Kpi.RESPONSE_RATE)
    return [(kpi, *key, n, 0, 0, answered, 0, 0) for *key, n, answered in rows]


def event_query():
    """Conversion rate: visits and conversions per touchpoint, persona (of the event's customer) and day."""
    return (
        TouchpointEvent.objects.values("touchpoint_id", persona=F("customer__persona_id"), day=local_day("occurred_at"))
        .annotate(
            n=Count("id", filter=Q(kind=TouchpointEvent.Kind.VISIT)),
            count_a=Count("id", filter=Q(kind=TouchpointEvent.Kind.CONVERSION)),
        )
        .order_by()
    )


def event_groups() -> list[tuple]:
    rows = _rows(event_query(), ["touchpoint_id", "persona", "day", "n", "count_a"])
    kpi = str(Kpi.CONVERSION_RATE)
    return [(kpi, None, tp, persona, day, n, 0, 0, conv, 0, 0) for tp, persona, day, n, conv in rows]


def feedback_query():
    """Text sentiment: Voice's analysed items per survey (of a comment's response), touchpoint, persona (of the
    item's customer) and local day they were written — n, the sum of the scores and of their squares, and
    count_a the negative ones."""
    from voice.models import FeedbackItem, Sentiment

    return (
        FeedbackItem.objects.filter(sentiment_score__isnull=False)
        .values(
            "touchpoint_id",
            survey=F("response__survey_id"),
            persona=F("customer__persona_id"),
            day=local_day("occurred_at"),
        )
        .annotate(
            n=Count("id"),
            # In ten-thousandths (the analysis keeps four decimals), whole numbers: sums of whole numbers are
            # exact in any order, so the SQL path and this one (and days summed into a month) give the same.
            total=Sum(Round(F("sentiment_score") * SCORE_UNITS)),
            total_sq=Sum(Round(F("sentiment_score") * SCORE_UNITS) * Round(F("sentiment_score") * SCORE_UNITS)),
            count_a=Count("id", filter=Q(sentiment=Sentiment.NEGATIVE)),
        )
        .order_by()
    )


FEEDBACK_KPIS = (str(Kpi.SENTIMENT), str(Kpi.NEGATIVE_SHARE))


def feedback_groups() -> list[tuple]:
    """The same statistics serve both text KPIs (sentiment reads the sums, negative share the count)."""
    rows = _rows(feedback_query(), ["survey", "touchpoint_id", "persona", "day", "n", "total", "total_sq", "count_a"])
    return [(kpi, *key, n, total, sq, negative, 0, 0) for kpi in FEEDBACK_KPIS for *key, n, total, sq, negative in rows]


def _summed(parts: dict[tuple, list]) -> dict[tuple, tuple]:
    return {key: tuple(map(sum, zip(*rows, strict=True))) for key, rows in parts.items()}


def roll_up(groups: list[tuple]) -> dict[tuple, Stats]:
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
