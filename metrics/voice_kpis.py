"""Sentiment KPIs from Voice's feedback items: ``sentiment`` (mean text sentiment −1 … 1, × 100, one decimal,
with n and a 95 % margin) and ``negative_share`` (% of items judged negative).

metrics reads voice's items (journeys ← surveys ← voice ← metrics); the values are computed directly from the
items of a scope and period (one aggregate query per call), not from snapshots. The map's measured emotion
uses ``stage_sentiment`` where the survey scores of a stage are too thin (``metrics.emotion``).
"""

import math
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, F, FloatField, Q, QuerySet, Sum
from django.db.models.functions import Cast
from django.utils import timezone

from metrics.kpis import Z_95, KpiValue
from voice.models import FeedbackItem, Sentiment

SENTIMENT, NEGATIVE_SHARE = "sentiment", "negative_share"


def _bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    zone = ZoneInfo(settings.TIME_ZONE)
    start = timezone.make_aware(datetime.combine(date_from, time.min), zone)
    end = timezone.make_aware(datetime.combine(date_to + timedelta(days=1), time.min), zone)
    return start, end


def _aggregates(prefix: str = "") -> dict:
    score = Cast(f"{prefix}sentiment_score", FloatField())
    analysed = Q(**{f"{prefix}sentiment_score__isnull": False})
    return {
        "n": Count(f"{prefix}pk" if prefix else "pk", filter=analysed),
        "total": Sum(score, filter=analysed),
        "total_sq": Sum(score * score, filter=analysed),
        "negative": Count(f"{prefix}pk" if prefix else "pk", filter=Q(**{f"{prefix}sentiment": Sentiment.NEGATIVE})),
    }


def sentiment_value(n: int, total: float | None, total_sq: float | None) -> KpiValue:
    """Mean sentiment × 100 (−100 … 100), one decimal, with its 95 % margin; no items → null."""
    if not n:
        return KpiValue(None, 0, None, {})
    mean = (total or 0.0) / n
    variance = max((total_sq or 0.0) / n - mean * mean, 0.0)
    return KpiValue(round(100 * mean, 1), n, round(100 * Z_95 * math.sqrt(variance / n), 1), {})


def negative_share_value(n: int, negative: int) -> KpiValue:
    """% of analysed items judged negative, with the 95 % margin of a proportion; no items → null."""
    if not n:
        return KpiValue(None, 0, None, {})
    share = negative / n
    return KpiValue(round(100 * share, 1), n, round(100 * Z_95 * math.sqrt(share * (1 - share) / n), 1), {})


def sentiment_kpis(items: QuerySet[FeedbackItem] | None = None) -> dict[str, KpiValue]:
    """Both KPIs over ``items`` (default: every item); one query."""
    items = FeedbackItem.objects.all() if items is None else items
    row = items.aggregate(**_aggregates())
    return {
        SENTIMENT: sentiment_value(row["n"], row["total"], row["total_sq"]),
        NEGATIVE_SHARE: negative_share_value(row["n"], row["negative"]),
    }


def stage_sentiment(*, stage_ids, date_from: date, date_to: date) -> dict[int, KpiValue]:
    """Text sentiment per stage (items at the stage's touchpoints, occurred in the period); one query."""
    start, end = _bounds(date_from, date_to)
    rows = (
        FeedbackItem.objects.filter(
            touchpoint__stage_id__in=list(stage_ids), occurred_at__gte=start, occurred_at__lt=end
        )
        .values(stage=F("touchpoint__stage_id"))
        .annotate(**_aggregates())
        .order_by()
    )
    return {row["stage"]: sentiment_value(row["n"], row["total"], row["total_sq"]) for row in rows}
