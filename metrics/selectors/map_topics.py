"""The Voice topics of each touchpoint on the journey map: the most mentioned ones in the map's period, with
their negative share — what customers say where the badges show the scores. One query for the whole map."""

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from voice.models import FeedbackItem, Sentiment, Topic

TOPICS_PER_TOUCHPOINT = 3


def map_touchpoint_topics(
    *, touchpoint_ids, date_from: date, date_to: date, per_touchpoint: int = TOPICS_PER_TOUCHPOINT
) -> dict[int, list[dict]]:
    """{touchpoint id: [{"topic", "n", "negative_share"}, …]} most mentioned first (visible topics only)."""
    start = timezone.make_aware(datetime.combine(date_from, time.min))
    end = timezone.make_aware(datetime.combine(date_to + timedelta(days=1), time.min))
    link = FeedbackItem.topics.through
    rows = (
        link.objects.filter(
            feedbackitem__touchpoint_id__in=list(touchpoint_ids),
            feedbackitem__occurred_at__gte=start,
            feedbackitem__occurred_at__lt=end,
            topic__hidden=False,
            topic__merged_into__isnull=True,
        )
        .values("feedbackitem__touchpoint_id", "topic_id")
        .annotate(n=Count("pk"), negative=Count("pk", filter=Q(feedbackitem__sentiment=Sentiment.NEGATIVE)))
        .order_by("feedbackitem__touchpoint_id", "-n", "topic_id")
    )
    chosen: dict[int, list[dict]] = {}
    for row in rows:
        top = chosen.setdefault(row["feedbackitem__touchpoint_id"], [])
        if len(top) < per_touchpoint:
            top.append(row)
    topics = Topic.objects.in_bulk({row["topic_id"] for top in chosen.values() for row in top})
    return {
        touchpoint: [
            {
                "topic": topics[row["topic_id"]],
                "n": row["n"],
                "negative_share": round(100 * row["negative"] / row["n"], 1),
            }
            for row in top
        ]
        for touchpoint, top in chosen.items()
    }
