"""Answers as numbers on one 0–100 scale, read in one query: the input of drivers and churn risk."""

from datetime import date, datetime, time, timedelta

import numpy as np
from django.utils import timezone

from surveys.models import Answer, Question

SCALE = {Question.Kind.NPS: (0, 10), Question.Kind.CSAT: (1, 5), Question.Kind.CES: (1, 7)}


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def to_100(values: np.ndarray, kinds: np.ndarray, scale_max: np.ndarray) -> np.ndarray:
    """Every scored answer on 0–100 (a rating 1–N, CSAT 1–5, CES 1–7, NPS 0–10), so scales can be compared."""
    low = np.where(kinds == Question.Kind.NPS, 0.0, 1.0)
    high = np.select(
        [kinds == Question.Kind.NPS, kinds == Question.Kind.CSAT, kinds == Question.Kind.CES],
        [10.0, 5.0, 7.0],
        default=np.maximum(scale_max.astype(float), 2.0),
    )
    return np.clip((values - low) / (high - low) * 100.0, 0.0, 100.0)


def scored_answers(*, date_from: date | None = None, date_to: date | None = None) -> dict[str, np.ndarray]:
    """Scored answers of known customers: customer, question, kind, touchpoint (0: none), time, raw and 0–100."""
    qs = Answer.objects.filter(
        value__isnull=False, question__kind__in=Question.SCORED, response__customer__isnull=False
    )
    if date_from:
        qs = qs.filter(response__submitted_at__gte=day_start(date_from))
    if date_to:
        qs = qs.filter(response__submitted_at__lt=day_start(date_to + timedelta(days=1)))
    rows = list(
        qs.values_list(
            "response__customer_id",
            "question_id",
            "question__kind",
            "question__scale_max",
            "response__touchpoint_id",
            "response__survey__touchpoint_id",
            "response__submitted_at",
            "value",
        ).iterator(chunk_size=20000)
    )
    if not rows:
        empty = np.array([], dtype=float)
        return {k: empty for k in ("customer", "question", "kind", "touchpoint", "at", "value", "score")}
    customer, question, kind, scale_max, tp, survey_tp, at, value = zip(*rows, strict=True)
    kinds = np.array(kind, dtype=object)
    values = np.array(value, dtype=float)
    touchpoint = np.array([a or b or 0 for a, b in zip(tp, survey_tp, strict=True)], dtype=np.int64)
    return {
        "customer": np.array(customer, dtype=np.int64),
        "question": np.array(question, dtype=np.int64),
        "kind": kinds,
        "touchpoint": touchpoint,
        "at": np.array([a.timestamp() for a in at], dtype=float),
        "value": values,
        "score": to_100(values, kinds, np.array([s or 5 for s in scale_max], dtype=float)),
    }
