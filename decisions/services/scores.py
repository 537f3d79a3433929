"""Answers as numbers on one 0–100 scale, read in one query: the input of drivers and churn risk.

Read with SQL rather than the ORM: a million answers as model values would spend most of the time building
datetime objects; here the database hands over the time as seconds since the epoch.
"""

import itertools
import math
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import numpy as np
import psycopg
from django.db import connection, transaction
from django.utils import timezone

from surveys.models import Question


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def epoch_sql(column: str) -> str:
    """``column`` (a timestamp) as seconds since the epoch, as a float, on PostgreSQL and SQLite."""
    if connection.vendor == "postgresql":
        return f"EXTRACT(EPOCH FROM {column})::float8"
    return f"CAST(strftime('%%s', {column}) AS REAL)"  # "%%": the query goes through %-formatting


# For the reading queries only (as the recompute does, metrics.services.recompute): compiling them (JIT) costs
# more than it saves on queries that read each row once, and with the default work_mem PostgreSQL sorts the
# grouped answers on disk instead of hashing them in memory.
READ_WORK_MEM = "256MB"


def _read_settings(cursor) -> None:
    if connection.vendor == "postgresql":
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(f"SET LOCAL work_mem = '{READ_WORK_MEM}'")


def fetch_columns(sql: str, params: list, count: int) -> list[tuple]:
    with transaction.atomic(), connection.cursor() as cursor:
        _read_settings(cursor)
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return list(zip(*rows, strict=True)) if rows else [() for _ in range(count)]


# The PostgreSQL type each column of ``fetch_arrays`` crosses as, and its binary form (big-endian).
_BINARY = {np.int64: ("int8", ">i8"), float: ("float8", ">f8")}


def fetch_arrays(select: str, params, names: list[str], types: list) -> dict[str, np.ndarray]:
    """The rows of ``select`` (PostgreSQL; numbers only, never NULL, columns ``names`` of ``types``: np.int64
    or float) as one array per column. Each column crosses as one value, its numbers one after the other in
    PostgreSQL's binary form (``int8send``, ``float8send``), which numpy reads as it is: 300,000 rows as
    Python tuples cost more than the query that made them, and as text, writing and parsing the numbers cost
    a tenth of the read."""
    aggregates = ", ".join(
        f"COALESCE(string_agg({_BINARY[kind][0]}send(({name})::{_BINARY[kind][0]}), ''::bytea), ''::bytea)"
        for name, kind in zip(names, types, strict=True)
    )
    sql = f"SELECT {aggregates} FROM ({select}) AS g"  # noqa: S608 - our column names only
    with transaction.atomic(), connection.cursor() as cursor:
        _read_settings(cursor)
        # Django's cursors bind the parameters on the client, and such a cursor cannot ask for binary results:
        # one of psycopg's own cursors on the same connection (the same transaction and settings) can.
        with psycopg.Cursor(connection.connection) as binary:
            binary.execute(sql, params, binary=True)
            values = binary.fetchone()
    columns = {
        name: np.frombuffer(value, dtype=_BINARY[kind][1]).astype(kind)
        for name, value, kind in zip(names, values, types, strict=True)
    }
    if len({len(column) for column in columns.values()}) > 1:
        raise ValueError("fetch_arrays: a column had NULL values")
    return columns


# The answers are read and summed a part at a time, each part about this many responses (about 500,000 answers
# on the bench data set): the arrays of a few parts, not of every answer, are in memory at once.
RESPONSES_PER_PART = 250_000


def response_parts(*, since: datetime | None = None, until: datetime | None = None) -> list[tuple[int, int]]:
    """Half-open ranges of response ids that together hold every response submitted after ``since`` and before
    ``until`` (when given; ranges of ids, so they hold others too), each about RESPONSES_PER_PART responses (by
    PostgreSQL's estimate of the table's rows; the ids spread evenly over their range)."""
    where, params = [], []
    if since:
        where.append("submitted_at > %s")
        params.append(since)
    if until:
        where.append("submitted_at < %s")
        params.append(until)
    sql = (
        "SELECT min(id), max(id), (SELECT reltuples FROM pg_class WHERE oid = 'surveys_response'::regclass), "
        "(SELECT max(id) - min(id) + 1 FROM surveys_response) FROM surveys_response"
    )
    if where:
        sql += " WHERE " + " AND ".join(where)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        first, last, estimate, span = cursor.fetchone()
    if first is None:
        return []
    if estimate is None or estimate < 0:  # never analysed: every id in use
        estimate = span
    share = (last - first + 1) / span  # of the ids, so about of the rows
    bounds = np.linspace(first, last + 1, max(1, math.ceil(estimate * share / RESPONSES_PER_PART)) + 1)
    return list(itertools.pairwise(np.unique(bounds.astype(np.int64)).tolist()))


def answer_rows(part: tuple[int, int]) -> dict[str, np.ndarray]:
    """The answers with a value of the responses in ``part`` as they are stored: ``response``, ``question`` and
    ``value`` (PostgreSQL). Their readers sum them in numpy: PostgreSQL grouping a million answers by response, or
    by customer and touchpoint, cost three to four times as much as handing the rows over."""
    return fetch_arrays(
        "SELECT response_id AS response, question_id AS question, value FROM surveys_answer "
        "WHERE value IS NOT NULL AND response_id >= %s AND response_id < %s",
        list(part),
        ["response", "question", "value"],
        [np.int64, np.int64, float],
    )


def parts_read(read: Callable[[tuple[int, int]], object], parts: list[tuple[int, int]], ahead: int = 2) -> Iterator:
    """``read(part)`` of each part in turn, the first ``ahead`` from now on, each on a connection of its own
    (``beside``) and the next one started as the caller takes one: the database reads on both cores while numpy
    sums, and ``ahead`` + 1 parts at most are in memory."""
    from metrics.services.recompute_sql import beside

    pending = deque(beside(lambda part=part: read(part)) for part in parts[:ahead])
    following = iter(parts[ahead:])

    def results():
        while pending:
            result = pending.popleft()()
            if (part := next(following, None)) is not None:
                pending.append(beside(lambda part=part: read(part)))
            yield result

    return results()


@dataclass
class ScoredQuestions:
    """The questions with a score (NPS, CSAT, CES, rating), by id: kind, highest answer of a rating (5 when not
    set), and their scales' bounds (``scale_bounds``)."""

    id: np.ndarray
    kind: np.ndarray
    scale_max: np.ndarray
    low: np.ndarray
    high: np.ndarray


def scored_questions() -> ScoredQuestions:
    rows = list(Question.objects.filter(kind__in=Question.SCORED).values_list("id", "kind", "scale_max"))
    kinds = np.array([r[1] for r in rows], dtype=object)
    scale_max = np.array([5 if r[2] is None else r[2] for r in rows], dtype=float)
    low, high = scale_bounds(kinds, scale_max)
    return ScoredQuestions(np.array([r[0] for r in rows], dtype=np.int64), kinds, scale_max, low, high)


class Positions:
    """Each value's position among ``keys`` (distinct integers; -1 where it is not among them), prepared once for
    many lookups: through a table indexed by the key where the keys are not too sparse (database ids), else by
    binary search over the keys sorted once."""

    def __init__(self, keys: np.ndarray):
        self.keys = keys
        self.table = self.order = None
        if not len(keys):
            return
        self.low, self.high = int(keys.min()), int(keys.max())
        if self.high - self.low < 8 * len(keys) + 1_000_000:
            self.table = np.full(self.high - self.low + 1, -1, dtype=np.int64)
            self.table[keys - self.low] = np.arange(len(keys))
        else:
            self.order = np.argsort(keys)

    def __call__(self, values: np.ndarray) -> np.ndarray:
        if not len(self.keys):
            return np.full(len(values), -1, dtype=np.int64)
        if self.table is not None:
            inside = (values >= self.low) & (values <= self.high)
            return np.where(inside, self.table[np.where(inside, values - self.low, 0)], -1)
        found = np.clip(np.searchsorted(self.keys, values, sorter=self.order), 0, len(self.keys) - 1)
        position = self.order[found]
        return np.where(self.keys[position] == values, position, -1)


def lookup(keys: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Each of ``values``' position in ``keys`` (distinct integers), -1 where it is not among them."""
    return Positions(keys)(values)


def scale_bounds(kinds: np.ndarray, scale_max: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The lowest and highest answer of each question's scale: NPS 0–10, CSAT 1–5, CES 1–7, a rating 1–N."""
    low = np.where(kinds == Question.Kind.NPS, 0.0, 1.0)
    high = np.select(
        [kinds == Question.Kind.NPS, kinds == Question.Kind.CSAT, kinds == Question.Kind.CES],
        [10.0, 5.0, 7.0],
        default=np.maximum(scale_max.astype(float), 2.0),
    )
    return low, high


def to_100(values: np.ndarray, kinds: np.ndarray, scale_max: np.ndarray) -> np.ndarray:
    """Every scored answer on 0–100 (a rating 1–N, CSAT 1–5, CES 1–7, NPS 0–10), so scales can be compared."""
    low, high = scale_bounds(kinds, scale_max)
    return np.clip((values - low) / (high - low) * 100.0, 0.0, 100.0)


def period_filters(column: str, date_from: date | None, date_to: date | None) -> tuple[list[str], list]:
    """The WHERE conditions and parameters of the time ``column`` within [date_from, date_to] (local days)."""
    where, params = [], []
    if date_from:
        where.append(f"{column} >= %s")
        params.append(day_start(date_from))
    if date_to:
        where.append(f"{column} < %s")
        params.append(day_start(date_to + timedelta(days=1)))
    return where, params


def scored_answer_filters(date_from: date | None, date_to: date | None) -> tuple[list[str], list]:
    """The WHERE conditions (aliases a answer, q question, r response) and parameters of the scored answers of
    known customers submitted in [date_from, date_to] (local days)."""
    kinds = [str(k) for k in Question.SCORED]
    period, dates = period_filters("r.submitted_at", date_from, date_to)
    where = ["a.value IS NOT NULL", "r.customer_id IS NOT NULL", f"q.kind IN ({', '.join(['%s'] * len(kinds))})"]
    return where + period, [*kinds, *dates]


def scored_answers(*, date_from: date | None = None, date_to: date | None = None) -> dict[str, np.ndarray]:
    """Scored answers of known customers: customer, question, kind, touchpoint (0: none), time, raw and 0–100.

    The touchpoint is the response's, else its survey's (a relationship survey has none).
    """
    where, params = scored_answer_filters(date_from, date_to)
    sql = f"""
        SELECT r.customer_id, a.question_id, q.kind, COALESCE(q.scale_max, 5),
               COALESCE(r.touchpoint_id, s.touchpoint_id, 0), {epoch_sql("r.submitted_at")}, a.value
        FROM surveys_answer a
        JOIN surveys_question q ON q.id = a.question_id
        JOIN surveys_response r ON r.id = a.response_id
        JOIN surveys_survey s ON s.id = r.survey_id
        WHERE {" AND ".join(where)}
    """  # noqa: S608 - placeholders only
    customer, question, kind, scale_max, touchpoint, at, value = fetch_columns(sql, params, 7)
    kinds_arr = np.array(kind, dtype=object)
    values = np.array(value, dtype=float)
    return {
        "customer": np.array(customer, dtype=np.int64),
        "question": np.array(question, dtype=np.int64),
        "kind": kinds_arr,
        "touchpoint": np.array(touchpoint, dtype=np.int64),
        "at": np.array(at, dtype=float),
        "value": values,
        "score": to_100(values, kinds_arr, np.array(scale_max, dtype=float)) if len(values) else values,
    }
