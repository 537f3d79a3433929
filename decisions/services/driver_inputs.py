"""The inputs of a driver analysis: per customer who gave the relationship score, their mean score on it and
their score sums per touchpoint and per other relationship question; and each driver's own performance over
every answer.

On PostgreSQL the answers cross as they are stored (response, question, value, as binary numbers) and are
grouped in numpy by bincounts over dense cells; grouping the million answers in the database (two grouping
sets over one scan) cost three times as much. Elsewhere one SQL query groups them; tests/decisions/
test_drivers.py checks that both give the same inputs. Scores go onto one 0–100 scale (``scores.to_100``);
that scale is linear per kind of question, so sums of raw values per kind and scale convert exactly (answers
are validated within their scale on submit, so the clip of ``to_100`` never acts).
"""

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from django.db import connection, transaction

from decisions.services.scores import (
    Positions,
    answer_rows,
    day_start,
    fetch_arrays,
    fetch_columns,
    lookup,
    parts_read,
    period_filters,
    response_parts,
    scored_answer_filters,
    scored_questions,
    to_100,
)
from journeys.models import Touchpoint
from surveys.models import Question


@dataclass
class DriverInputs:
    customers: np.ndarray  # ids of the customers with the relationship score, ascending
    y: np.ndarray  # their mean raw relationship score
    columns: list[tuple[str, int, np.ndarray, np.ndarray, float]]  # kind, id, score sums, counts, performance


FROM = """
    FROM surveys_answer a
    JOIN surveys_question q ON q.id = a.question_id
    JOIN surveys_response r ON r.id = a.response_id
    JOIN surveys_survey s ON s.id = r.survey_id
"""


def driver_inputs(*, kpi: str, date_from: date | None = None, date_to: date | None = None) -> DriverInputs:
    if connection.vendor == "postgresql":
        return _inputs(kpi, **_grouped_in_numpy(kpi, date_from=date_from, date_to=date_to))
    where, params = scored_answer_filters(date_from, date_to)
    tp = "COALESCE(r.touchpoint_id, s.touchpoint_id, 0)"
    question = f"CASE WHEN {tp} = 0 THEN a.question_id ELSE 0 END"
    group = f"{tp}, {question}, q.kind, COALESCE(q.scale_max, 5)"
    target = f"""
        WITH target AS (
            SELECT DISTINCT r.customer_id {FROM}
            WHERE {" AND ".join(where)} AND q.kind = %s AND {tp} = 0
        )
    """  # noqa: S608 - placeholders only
    # Elsewhere (SQLite) the two groupings in SQL, one after the other.
    sql = f"""{target}
        SELECT 1, 0, {group}, COUNT(*), SUM(a.value) {FROM}
        WHERE {" AND ".join(where)} GROUP BY {group}
        UNION ALL
        SELECT 0, r.customer_id, {group}, COUNT(*), SUM(a.value)
        {FROM} JOIN target t ON t.customer_id = r.customer_id
        WHERE {" AND ".join(where)} GROUP BY r.customer_id, {group}
    """  # noqa: S608 - placeholders only
    everyone, customer, touchpoint, question_id, kind, scale_max, count, total = fetch_columns(
        sql, [*params, kpi, *params, *params], 8
    )
    return _inputs(
        kpi,
        everyone=np.array(everyone, dtype=bool),
        customer=np.array(customer, dtype=np.int64),
        touchpoint=np.array(touchpoint, dtype=np.int64),
        question_id=np.array(question_id, dtype=np.int64),
        kind=np.array(kind, dtype=object),
        scale_max=np.array(scale_max, dtype=float),
        count=np.array(count, dtype=float),
        total=np.array(total, dtype=float),
    )


def _period(date_from: date | None, date_to: date | None) -> tuple[list[str], list]:
    """The conditions on a response (alias r) submitted in [date_from, date_to] (local days) of a known customer."""
    where, params = period_filters("r.submitted_at", date_from, date_to)
    return ["r.customer_id IS NOT NULL", *where], params


def _responses(part: tuple[int, int], date_from: date | None, date_to: date | None) -> dict[str, np.ndarray]:
    """The responses of the period with ids in ``part``: id, customer and touchpoint (the response's, else its
    survey's; 0: none, a relationship survey)."""
    where, params = _period(date_from, date_to)
    sql = f"""
        SELECT r.id, r.customer_id AS customer, COALESCE(r.touchpoint_id, s.touchpoint_id, 0) AS touchpoint
        FROM surveys_response r JOIN surveys_survey s ON s.id = r.survey_id
        WHERE {" AND ".join(where)} AND r.id >= %s AND r.id < %s
    """  # noqa: S608 - placeholders only
    return fetch_arrays(sql, [*params, *part], ["id", "customer", "touchpoint"], [np.int64] * 3)


def _relationship_customers(kpi: str, date_from: date | None, date_to: date | None) -> np.ndarray:
    """The customers who gave the relationship score in the period (an answer of the KPI's kind on a survey
    without touchpoint), ascending."""
    where, params = _period(date_from, date_to)
    sql = f"""
        SELECT DISTINCT r.customer_id AS customer {FROM}
        WHERE {" AND ".join(where)} AND a.value IS NOT NULL AND q.kind = %s
              AND COALESCE(r.touchpoint_id, s.touchpoint_id, 0) = 0
    """  # noqa: S608 - placeholders only
    return np.sort(fetch_arrays(sql, [*params, kpi], ["customer"], [np.int64])["customer"])


def _driver_groups(questions) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every touchpoint (0: none) and the driver group of each of its cells (touchpoint × scored question): the
    touchpoint, or on a relationship survey (no touchpoint) the question, with the question's kind and scale.
    Returns (touchpoints, group of each cell, groups as rows touchpoint, question, kind code, scale)."""
    touchpoints = np.array([0, *sorted(Touchpoint.objects.values_list("id", flat=True))], dtype=np.int64)
    cell_touchpoint, cell_question = np.divmod(np.arange(len(touchpoints) * len(questions.id)), len(questions.id))
    cell_touchpoint = touchpoints[cell_touchpoint]
    kind_code = np.array([KINDS.tolist().index(kind) for kind in questions.kind], dtype=np.int64)
    groups, group = np.unique(
        np.stack(
            [
                cell_touchpoint,
                np.where(cell_touchpoint == 0, questions.id[cell_question], 0),
                kind_code[cell_question],
                questions.scale_max[cell_question].astype(np.int64),
            ]
        ),
        axis=1,
        return_inverse=True,
    )
    return touchpoints, group.ravel(), groups


KINDS = np.array([str(kind) for kind in Question.SCORED], dtype=object)


def _grouped_in_numpy(kpi: str, *, date_from: date | None, date_to: date | None) -> dict[str, np.ndarray]:
    """The grouped rows ``_inputs`` takes, from the answers as they are stored (scores.answer_rows), a part of
    the responses at a time: per driver group over everyone, and per customer who gave the relationship score
    and group. As the SQLite query below groups them; PostgreSQL grouping the million answers cost three times
    the transfer. In memory: one part's answers, and the groups' sums of those customers."""
    questions = scored_questions()
    touchpoints, group_of_cell, groups = _driver_groups(questions)
    size = groups.shape[1]
    everyone_count, everyone_total = np.zeros(size), np.zeros(size)
    cells = _Cells()
    with transaction.atomic():  # as the recompute's reads (see metrics.services.recompute_sql.beside)
        parts = parts_read(
            lambda part: (_responses(part, date_from, date_to), answer_rows(part)),
            response_parts(
                since=day_start(date_from) - timedelta(microseconds=1) if date_from else None,
                until=day_start(date_to + timedelta(days=1)) if date_to else None,
            ),
        )
        target = _relationship_customers(kpi, date_from, date_to)
        question_of, touchpoint_of, target_of = Positions(questions.id), Positions(touchpoints), Positions(target)
        for responses, answers in parts:
            question, response = question_of(answers["question"]), lookup(responses["id"], answers["response"])
            touchpoint = np.full(len(response), -1)
            touchpoint[response >= 0] = touchpoint_of(responses["touchpoint"])[response[response >= 0]]
            # Scored answers of the period's responses (at a touchpoint known when the groups were made: one
            # created since counts from the next analysis on).
            scored = (question >= 0) & (response >= 0) & (touchpoint >= 0)
            question, response, value = question[scored], response[scored], answers["value"][scored]
            group = group_of_cell[touchpoint[scored] * len(questions.id) + question]
            everyone_count += np.bincount(group, minlength=size)
            everyone_total += np.bincount(group, weights=value, minlength=size)
            # The cells (customer × group) of the customers with the relationship score that hold answers.
            row = target_of(responses["customer"][response])
            mine = row >= 0
            cells.add(row[mine] * size + group[mine], value[mine])
    held, cell_count, cell_total = cells.sums()
    cell_row, cell_group = np.divmod(held, size)
    used = np.flatnonzero(everyone_count)  # the groups that hold answers
    row_group = np.concatenate([used, cell_group])
    return {
        "everyone": np.concatenate([np.ones(len(used), dtype=bool), np.zeros(len(held), dtype=bool)]),
        "customer": np.concatenate([np.zeros(len(used), dtype=np.int64), target[cell_row]]),
        "touchpoint": groups[0][row_group],
        "question_id": groups[1][row_group],
        "kind": KINDS[groups[2][row_group]],
        "scale_max": groups[3][row_group].astype(float),
        "count": np.concatenate([everyone_count[used], cell_count]),
        "total": np.concatenate([everyone_total[used], cell_total]),
    }


class _Cells:
    """Counts and sums of values per cell key, added a part at a time: the parts' sums are merged whenever they
    hold twice as many rows as the last merge left (and a million more), so memory follows the cells, not the
    answers."""

    def __init__(self):
        self.keys, self.counts, self.totals, self.merged = [], [], [], 0

    def add(self, keys: np.ndarray, values: np.ndarray) -> None:
        held, cell = np.unique(keys, return_inverse=True)
        self.keys.append(held)
        self.counts.append(np.bincount(cell.ravel(), minlength=len(held)).astype(float))
        self.totals.append(np.bincount(cell.ravel(), weights=values, minlength=len(held)))
        if sum(len(k) for k in self.keys) > 2 * self.merged + 1_000_000:
            self._merge()

    def _merge(self) -> None:
        keys = np.concatenate(self.keys) if self.keys else np.array([], dtype=np.int64)
        held, cell = np.unique(keys, return_inverse=True)
        counts = np.bincount(cell.ravel(), weights=np.concatenate(self.counts or [[]]), minlength=len(held))
        totals = np.bincount(cell.ravel(), weights=np.concatenate(self.totals or [[]]), minlength=len(held))
        self.keys, self.counts, self.totals, self.merged = [held], [counts], [totals], len(held)

    def sums(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(cell keys ascending, counts, sums)."""
        self._merge()
        return self.keys[0], self.counts[0], self.totals[0]


def _inputs(kpi: str, *, everyone, customer, touchpoint, question_id, kind, scale_max, count, total) -> DriverInputs:
    """The inputs from the grouped rows (as arrays): per customer and driver, and per driver over everyone."""
    # Σ to_100(v) = to_100 applied to the mean, times the count (linear within one kind and scale).
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(count > 0, total / np.maximum(count, 1), 0.0)
    score_sum = to_100(mean, kind, scale_max) * count if len(count) else count

    per_customer = ~everyone & (customer != 0)
    customers = np.unique(customer[per_customer])
    size = len(customers)
    rows = np.searchsorted(customers, customer)
    relationship = touchpoint == 0
    target = per_customer & relationship & (kind == kpi)
    y_sum = np.bincount(rows[target], weights=total[target], minlength=size)
    y_count = np.bincount(rows[target], weights=count[target], minlength=size)
    y = y_sum / np.maximum(y_count, 1)

    columns = []
    keys = [("touchpoint", t, touchpoint == t) for t in np.unique(touchpoint[~relationship]).tolist()]
    other = relationship & (kind != kpi)
    keys += [("question", q, other & (question_id == q)) for q in np.unique(question_id[other]).tolist()]
    for key_kind, pk, mask in keys:
        overall = mask & everyone
        performance = float(score_sum[overall].sum() / max(count[overall].sum(), 1))
        mine = mask & per_customer
        sums = np.bincount(rows[mine], weights=score_sum[mine], minlength=size)
        counts = np.bincount(rows[mine], weights=count[mine], minlength=size)
        columns.append((key_kind, pk, sums, counts, performance))
    return DriverInputs(customers=customers, y=y, columns=columns)


def column_means(sums: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Each customer's mean 0–100 score on a driver; NaN where they gave none."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)


# The Voice topics offered as drivers: the most mentioned ones among the customers with the relationship score.
TOPIC_DRIVERS = 10


def topic_columns(
    customers: np.ndarray, *, date_from: date | None = None, date_to: date | None = None
) -> list[tuple[str, int, np.ndarray, int, float]]:
    """Voice topics as drivers: for each customer with the relationship score who wrote an analysed comment
    in the period, 100 when they did not complain about the topic and 0 when one of their comments on it
    was negative (customers without comments: NaN). So a topic "drives" the score when complaining about it
    goes with a lower score, and its performance is the share of commenting customers who did not complain.

    Returns (kind, topic id, column, customers who mentioned it, performance), most mentioned first.
    """
    from voice.models import FeedbackItem, Sentiment

    link = FeedbackItem.topics.through._meta.db_table
    where, params = period_filters("i.occurred_at", date_from, date_to)
    where += ["i.customer_id IS NOT NULL", "i.sentiment <> ''"]
    commenter_rows = fetch_columns(
        f"SELECT DISTINCT i.customer_id FROM voice_feedbackitem i WHERE {' AND '.join(where)}",  # noqa: S608
        params,
        1,
    )[0]
    mention_sql = f"""
        SELECT i.customer_id, l.topic_id, MAX(CASE WHEN i.sentiment = %s THEN 1 ELSE 0 END)
        FROM voice_feedbackitem i
        JOIN {link} l ON l.feedbackitem_id = i.id
        JOIN voice_topic t ON t.id = l.topic_id
        WHERE {" AND ".join(where)} AND NOT t.hidden AND t.merged_into_id IS NULL
        GROUP BY i.customer_id, l.topic_id
    """  # noqa: S608 - placeholders only; table names from the models
    customer, topic, negative = fetch_columns(mention_sql, [str(Sentiment.NEGATIVE), *params], 3)
    if not customer:
        return []
    commenters = np.array(commenter_rows, dtype=np.int64)
    customer = np.array(customer, dtype=np.int64)
    topic = np.array(topic, dtype=np.int64)
    negative = np.array(negative, dtype=bool)
    size = len(customers)
    rows = np.searchsorted(customers, customer)
    known = (rows < size) & (customers[np.minimum(rows, max(size - 1, 0))] == customer) if size else rows < 0
    commented = np.isin(customers, commenters)
    topics, mentions = np.unique(topic[known], return_counts=True)
    order = np.argsort(-mentions, kind="stable")[:TOPIC_DRIVERS]
    columns = []
    for pk, mentioned in zip(topics[order].tolist(), mentions[order].tolist(), strict=True):
        column = np.where(commented, 100.0, np.nan)
        column[rows[known & (topic == pk) & negative]] = 0.0
        complained = np.count_nonzero((topic == pk) & negative)
        performance = 100.0 * (1 - complained / max(len(commenters), 1))
        columns.append(("topic", pk, column, mentioned, performance))
    return columns
