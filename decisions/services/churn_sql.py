"""Churn features on PostgreSQL: the windowed sums at every moment from narrow rows sliced in the database.

The generic path (``churn.history_load`` and ``churn.features_at``) reads every answer, invitation, event
and transaction into Python tuples: 1.5 million rows on the bench data set. Here the database cuts time into
*slices*, the time between two neighbouring window edges (every moment t and every t − 90, 180, 365 and 730
days), so that each feature window (t − a, t − b] is a run of whole slices. Each row crosses with only its
customer, its slice and what the features add up (the answers as they are stored, summed per response here);
each column crosses as one binary value that numpy reads, on four connections at once. The features are then
the generic path's sums over the slices of each window. tests/decisions/test_churn_sql.py checks that both
paths give the same feature matrices.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
from django.db import transaction

from decisions.services.scores import (
    Positions,
    answer_rows,
    fetch_arrays,
    parts_read,
    response_parts,
    scored_questions,
)
from metrics.services.recompute_sql import beside
from surveys.models import Invitation, Question

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
        # In the order of the slices, so that a window's rows are a range of them (rows already in that order are
        # kept as they are: no copies).
        if np.all(self.slice[1:] >= self.slice[:-1]):
            return
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


def _responses(edges: np.ndarray) -> dict[str, np.ndarray]:
    """The responses of known customers after the first edge: id, customer, time and slice."""
    sql = f"""
        SELECT id, customer, at, {_slice_sql("at")} AS slice
        FROM (
            SELECT id, customer_id AS customer, EXTRACT(EPOCH FROM submitted_at)::float8 AS at
            FROM surveys_response WHERE customer_id IS NOT NULL AND submitted_at > %(since)s
        ) AS timed
    """  # noqa: S608 - placeholders only
    return fetch_arrays(sql, _params(edges), ["id", "customer", "at", "slice"], [np.int64, np.int64, float, np.int64])


def _answers(edges: np.ndarray) -> Slices:
    """Scored answers (as ``scores.scored_answers``) per response, with its customer and slice: count, sum of
    the 0–100 scores, the time, and the NPS answer's time and value (of two in a response, the higher).

    The answers cross as they are stored (response, question, value; the responses on a connection of their
    own meanwhile), a part at a time (scores.parts_read), and are summed per response here: PostgreSQL grouping
    a million answers by response and joining the responses cost four times as much as handing the rows over.
    """
    responses = beside(lambda: _responses(edges))
    questions = scored_questions()
    nps_question = questions.kind == Question.Kind.NPS
    parts = parts_read(answer_rows, response_parts(since=_params(edges)["since"]))
    responses = responses()
    size = len(responses["id"])
    count, score_sum, nps_value = np.zeros(size), np.zeros(size), np.full(size, np.nan)
    question_of, response_of = Positions(questions.id), Positions(responses["id"])
    for answers in parts:
        # Per answer: its question's row in ``questions`` (-1: not scored) and its response's in ``responses`` (-1:
        # not a known customer's, or before the first edge).
        question, response = question_of(answers["question"]), response_of(answers["response"])
        scored = (question >= 0) & (response >= 0)
        question, response, value = question[scored], response[scored], answers["value"][scored]
        low, high = questions.low[question], questions.high[question]
        score = np.clip((value - low) / (high - low) * 100.0, 0.0, 100.0)  # as scores.to_100
        count += np.bincount(response, minlength=size)
        score_sum += np.bincount(response, weights=score, minlength=size)
        is_nps = nps_question[question]
        np.fmax.at(nps_value, response[is_nps], value[is_nps])  # the higher of two; NaN: none
    del response_of, responses["id"]  # the lookup table and ids: not needed any more
    # A response with no scored answer has no row, as in the generic path (which reads the answers); the rows in
    # the order of their slices (as Slices keeps them), each array taken once.
    rows = np.flatnonzero(count)
    rows = rows[np.argsort(responses["slice"][rows], kind="stable")]
    at = responses["at"][rows]
    nps = nps_value[rows]
    sums = {
        "n": count[rows],
        "score_sum": score_sum[rows],
        "last_at": at,
        "nps_at": np.where(np.isnan(nps), np.nan, at),
    }
    return Slices(responses["customer"][rows], responses["slice"][rows], sums | {"nps_value": nps})


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


def history_sliced(moments: list[float]) -> SlicedHistory:
    """The sliced history for ``moments``, read on several connections at once: the customers with their
    invitations and events, the revenue and the responses each on one of its own, and the answers a part at a
    time, two parts ahead (see _answers); on the bench data set each source is 0.2–0.3 s of database time."""
    from decisions.services.churn import DAY

    edges = window_edges(moments, DAY)
    # In a transaction of its own, as the recompute's reads (see churn.history_load).
    with transaction.atomic():
        sources = beside(lambda: _customers_invitations_events(edges))
        revenue = beside(lambda: _revenue(edges))
        answers = _answers(edges)
        customers, invitations, events = sources()
        revenue = revenue()
    return SlicedHistory(
        customer=customers["id"],
        start=customers["start"],
        churned=customers["churned"],
        edges=edges,
        answers=answers,
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
