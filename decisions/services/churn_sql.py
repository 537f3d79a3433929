"""Churn features on PostgreSQL: the windowed sums at every moment from narrow rows sliced in the database.

The generic path (``churn.history_load`` and ``churn.features_at``) reads every answer, invitation, event
and transaction into Python tuples: 1.5 million rows on the bench data set. Here the database cuts time into
*slices*, the time between two neighbouring window edges (every moment t and every t − 90, 180, 365 and 730
days), so that each feature window (t − a, t − b] is a run of whole slices. Each row crosses with only its
customer, its slice and what the features add up (the answers one row per response); each column crosses
as one text that numpy parses, on four connections at once. The features are then the generic path's sums
over the slices of each window. tests/decisions/test_churn_sql.py checks that both paths give the same
feature matrices.
"""

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
from django.db import connection, transaction

from decisions.services.scores import fetch_arrays
from metrics.services.recompute_sql import beside
from surveys.models import Invitation, Question, Response

# The window edges of each feature, in days before the moment (see churn.features_at): (t − a, t − b].
EDGE_DAYS = (0, 90, 180, 365, 730)


@dataclass
class Slices:
    """Rows of a customer's sums in a slice: ``customer``, ``slice`` (k: edges[k − 1] < time ≤ edges[k]) and the
    sums; a customer can have several rows in a slice (the features add them up)."""

    customer: np.ndarray
    slice: np.ndarray
    sums: dict[str, np.ndarray]

    def __post_init__(self):
        # In the order of the slices, so that a window's rows are a range of them.
        order = np.argsort(self.slice, kind="stable")
        self.customer, self.slice = self.customer[order], self.slice[order]
        self.sums = {name: values[order] for name, values in self.sums.items()}

    def window(self, edges: np.ndarray, since: float, until: float) -> slice:
        """The rows in (since, until], both of them edges."""
        low, high = np.searchsorted(edges, [since, until])
        return slice(*np.searchsorted(self.slice, [low, high], side="right").tolist())


def window_edges(moments: list[float], day: float) -> np.ndarray:
    """Every moment and every window edge before it, as the generic path computes them (t − days × day)."""
    return np.unique(np.array([t - days * day for t in moments for days in EDGE_DAYS], dtype=float))


def _slice_sql(at: str) -> str:
    """The slice of the time ``at`` (epoch seconds): how many edges lie before it. With the edges negated and
    in ascending order (the parameter), ``width_bucket`` counts the edges at or after the time."""
    return f"(%(edge_count)s - width_bucket(-({at}), %(negated_edges)s::float8[]))"


def _params(edges: np.ndarray) -> dict:
    """The edges, and a bound on the column (which the planner can estimate) that keeps fewer rows: a row at or
    before the first edge or after the last is in slice 0 or len(edges), which no window takes."""
    return {
        "edge_count": len(edges),
        "negated_edges": [float(-e) for e in edges[::-1]],
        "since": datetime.fromtimestamp(float(edges[0]) - 1, tz=UTC),
    }


def _answers(edges: np.ndarray, *, responses: tuple[int, int] = (0, 2**63 - 1)) -> Slices:
    """Scored answers (as ``scores.scored_answers``) per response, with its customer and slice: count, sum of
    the 0–100 scores, the time, and the NPS answer's time and value (of two in a response, the higher).

    Of the responses with ids in [first, last) of ``responses`` only (to read them on several connections at
    once): a customer and slice can then have a row in each part, which the sums take as they take any two.
    """
    kinds = {f"kind{i}": str(k) for i, k in enumerate(Question.SCORED)}
    params = _params(edges) | kinds | {"nps": Question.Kind.NPS, "csat": Question.Kind.CSAT, "ces": Question.Kind.CES}
    params |= {"first_response": responses[0], "end_response": responses[1]}
    # One row per response (its customer, slice and time; the count and sum of the scores of its answers, its
    # NPS answer): grouping them again by customer and slice in the database cost more than the rows it saves.
    # The score as scores.to_100: (value − low) / (high − low) × 100 clipped to 0–100, in the same float8
    # steps, the question's low and high looked up once per question.
    sql = f"""
        SELECT r.customer, r.slice, g.n, g.score_sum, r.at, COALESCE(g.nps, 'NaN') AS nps
        FROM (
            SELECT a.response_id, count(*) AS n,
                   sum(LEAST(GREATEST((a.value - q.low)::float8 / (q.high - q.low)::float8 * 100::float8, 0), 100))
                       AS score_sum,
                   max(a.value::float8) FILTER (WHERE q.kind = %(nps)s) AS nps
            FROM surveys_answer a
            JOIN (
                SELECT id, kind,
                       CASE WHEN kind = %(nps)s THEN 0 ELSE 1 END AS low,
                       CASE kind WHEN %(nps)s THEN 10 WHEN %(csat)s THEN 5 WHEN %(ces)s THEN 7
                            ELSE GREATEST(COALESCE(scale_max, 5), 2) END AS high
                FROM surveys_question WHERE kind IN ({", ".join(f"%({k})s" for k in kinds)})
            ) q ON q.id = a.question_id
            WHERE a.value IS NOT NULL
                  AND a.response_id >= %(first_response)s AND a.response_id < %(end_response)s
            GROUP BY a.response_id
        ) g
        JOIN (
            SELECT id, customer_id AS customer, at, {_slice_sql("at")} AS slice
            FROM (
                SELECT id, customer_id, EXTRACT(EPOCH FROM submitted_at)::float8 AS at
                FROM surveys_response
                WHERE customer_id IS NOT NULL AND submitted_at > %(since)s
                      AND id >= %(first_response)s AND id < %(end_response)s
            ) AS timed
        ) r ON r.id = g.response_id
    """  # noqa: S608 - placeholders only
    names = ["customer", "slice", "n", "score_sum", "at", "nps"]
    columns = fetch_arrays(sql, params, names, [np.int64, np.int64, float, float, float, float])
    at, nps = columns.pop("at"), columns.pop("nps")
    # As the slices' sums: the latest time, and the time and value of the latest NPS answer (NaN: none).
    columns |= {"last_at": at, "nps_at": np.where(np.isnan(nps), np.nan, at), "nps_value": nps}
    return Slices(columns.pop("customer"), columns.pop("slice"), columns)


def _rows(table: str, at_column: str, *, where: str, values: dict[str, str], params: dict, edges) -> Slices:
    """The rows of one of our tables (names fixed in code), each with its customer, slice and ``values``
    (``n``: 1 each). Grouping them by customer and slice in the database cost more than the rows it saved."""
    select = "".join(f", ({expression})::float8 AS {name}" for name, expression in values.items())
    sql = f"""
        SELECT customer, {_slice_sql("at")} AS slice{"".join(f", {name}" for name in values)}
        FROM (
            SELECT t.customer_id AS customer, EXTRACT(EPOCH FROM t.{at_column})::float8 AS at{select}
            FROM {table} t WHERE {where} AND t.{at_column} > %(since)s
        ) AS timed
    """  # noqa: S608 - names fixed in code, placeholders only
    names = ["customer", "slice", *values]
    columns = fetch_arrays(sql, _params(edges) | params, names, [np.int64, np.int64] + [float] * len(values))
    customer, slices = columns.pop("customer"), columns.pop("slice")
    return Slices(customer, slices, {"n": np.ones(len(customer)), **columns})


def _customers_invitations_events(edges: np.ndarray) -> tuple:
    customers = fetch_arrays(
        "SELECT id, COALESCE(EXTRACT(EPOCH FROM acquired_at)::float8, '-Infinity') AS start, "
        "COALESCE(EXTRACT(EPOCH FROM churned_at)::float8, 'Infinity') AS churned "
        "FROM journeys_customer ORDER BY id",
        {},
        ["id", "start", "churned"],
        [np.int64, float, float],
    )
    invitations = _rows(
        "surveys_invitation",
        "sent_at",
        where="t.sent_at IS NOT NULL",
        values={"answered": "CASE WHEN t.status = %(responded)s THEN 1 ELSE 0 END"},
        params={"responded": Invitation.Status.RESPONDED},
        edges=edges,
    )
    events = _rows(
        "metrics_touchpointevent", "occurred_at", where="t.customer_id IS NOT NULL", values={}, params={}, edges=edges
    )
    return customers, invitations, events


def _revenue(edges: np.ndarray) -> Slices:
    return _rows(
        "metrics_transaction", "occurred_at", where="TRUE", values={"amount": "t.amount"}, params={}, edges=edges
    )


@dataclass
class SlicedHistory:
    """What churn training reads, sliced in the database: the customers (as ``churn.History``) and the four
    sources' rows with their customer and slice, for the moments whose window edges are ``edges``."""

    customer: np.ndarray
    start: np.ndarray
    churned: np.ndarray
    edges: np.ndarray
    answers: Slices
    invitations: Slices
    events: Slices
    revenue: Slices

    def features(self, t: float) -> tuple[np.ndarray, np.ndarray]:
        return features_at(self, t)


# The answers are read in this many parts on as many connections, the other sources on one more: each about
# the same work (on the bench data set: 0.4 s of database time each), so the two cores finish together.
ANSWER_PARTS = 3


def _sources(edges: np.ndarray) -> tuple:
    return (*_customers_invitations_events(edges), _revenue(edges))


def history_sliced(moments: list[float]) -> SlicedHistory:
    """The sliced history for ``moments``, read on several connections at once (see ANSWER_PARTS)."""
    from decisions.services.churn import DAY

    edges = window_edges(moments, DAY)
    # In a transaction of its own, as the recompute's reads (see churn.history_load).
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT min(id), max(id) FROM {Response._meta.db_table}")  # noqa: S608 - a name
            first, last = cursor.fetchone()
        # The ids are about evenly spread over the answers: ranges of the same width hold as many.
        bounds = np.linspace(first or 0, (last or 0) + 1, ANSWER_PARTS + 1).astype(np.int64).tolist()
        bounds[0], bounds[-1] = 0, 2**63 - 1
        parts = list(itertools.pairwise(bounds))
        sources = beside(lambda: _sources(edges))
        others = [beside(lambda part=part: _answers(edges, responses=part)) for part in parts[1:]]
        answers = [_answers(edges, responses=parts[0])] + [other() for other in others]
        customers, invitations, events, revenue = sources()
    return SlicedHistory(
        customer=customers["id"],
        start=customers["start"],
        churned=customers["churned"],
        edges=edges,
        answers=Slices(
            np.concatenate([part.customer for part in answers]),
            np.concatenate([part.slice for part in answers]),
            {name: np.concatenate([part.sums[name] for part in answers]) for name in answers[0].sums},
        ),
        invitations=invitations,
        events=events,
        revenue=revenue,
    )


def features_at(history: SlicedHistory, t: float) -> tuple[np.ndarray, np.ndarray]:
    """The customers active at t and their features: churn.features_at's sums, taken over whole slices."""
    from decisions.services.churn import DAY, FEATURES, NEUTRAL, active_at

    ids, x, position = active_at(history, t)
    size = len(ids)
    if not size:
        return ids, x
    col = {name: i for i, name in enumerate(FEATURES)}

    positions = {}  # per source: each row's customer's row in x, or -1

    def window(source: Slices, days_from: float, days_to: float = 0.0) -> tuple[np.ndarray, slice, np.ndarray]:
        """(x's rows of the active customers in the window, the source's rows in it, which are active)."""
        if id(source) not in positions:
            # A customer created after the customers were read has no position: not active at t.
            pos = position[np.clip(source.customer, 0, len(position) - 1)]
            positions[id(source)] = np.where(source.customer < len(position), pos, -1)
        rows = source.window(history.edges, t - days_from * DAY, t - days_to * DAY)
        pos = positions[id(source)][rows]
        active = pos >= 0
        return pos[active], rows, active

    def total(source: Slices, name: str, days_from: float, days_to: float = 0.0) -> np.ndarray:
        pos, rows, active = window(source, days_from, days_to)
        return np.bincount(pos, weights=source.sums[name][rows][active], minlength=size).astype(float)

    a = history.answers
    count180, sum180 = total(a, "n", 180), total(a, "score_sum", 180)
    level = np.where(count180 > 0, sum180 / np.maximum(count180, 1), np.nan)
    c90, cold = total(a, "n", 90), total(a, "n", 365, 90)
    recent = total(a, "score_sum", 90) / np.maximum(c90, 1)
    older = total(a, "score_sum", 365, 90) / np.maximum(cold, 1)
    x[:, col["score_trend"]] = np.where((c90 > 0) & (cold > 0), recent - older, NEUTRAL["score_trend"])
    x[:, col["answers_365"]] = total(a, "n", 365)
    x[:, col["no_scores"]] = (x[:, col["answers_365"]] == 0).astype(float)
    x[:, col["score_level"]] = np.where(np.isnan(level), NEUTRAL["score_level"], level)
    pos, rows, active = window(a, 730)
    last_at = np.full(size, -np.inf)
    np.maximum.at(last_at, pos, a.sums["last_at"][rows][active])
    x[:, col["days_since_answer"]] = np.where(np.isfinite(last_at), (t - last_at) / DAY, 730.0)
    nps_at, nps_value = a.sums["nps_at"][rows][active], a.sums["nps_value"][rows][active]
    nps = ~np.isnan(nps_at)
    last_nps = np.full(size, NEUTRAL["last_nps"])
    order = np.lexsort((nps_value[nps], nps_at[nps]))  # the latest (and highest) last
    last_nps[pos[nps][order]] = nps_value[nps][order]
    x[:, col["last_nps"]] = last_nps

    sent, answered = total(history.invitations, "n", 365), total(history.invitations, "answered", 365)
    x[:, col["invitation_response_rate"]] = np.where(
        sent > 0, answered / np.maximum(sent, 1), NEUTRAL["invitation_response_rate"]
    )
    e90, eold = total(history.events, "n", 90), total(history.events, "n", 180, 90)
    x[:, col["events_90"]] = e90
    x[:, col["events_trend"]] = np.log1p(e90) - np.log1p(eold)
    rev90 = np.clip(total(history.revenue, "amount", 90), 0, None)
    revold = np.clip(total(history.revenue, "amount", 180, 90), 0, None)
    x[:, col["revenue_365"]] = np.log1p(np.clip(total(history.revenue, "amount", 365), 0, None))
    x[:, col["revenue_trend"]] = np.log1p(rev90) - np.log1p(revold)
    return ids, x
