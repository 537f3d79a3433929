"""Reads of Voice: which items a person sees, and topics with volume, negative share and trend.

Department members see the items of the touchpoints their department answers for (the one access rule of
``surveys.selectors.access``), read-only; CX managers and API keys with ``feedback:read`` see every item.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from cxportal.stats import NO_TEST, Change, two_proportions
from surveys.selectors.access import readable_touchpoints
from voice.models import FeedbackItem, Sentiment, Topic

TREND_DAYS = 30


def items_visible_to(*, user, items: QuerySet[FeedbackItem] | None = None) -> QuerySet[FeedbackItem]:
    items = FeedbackItem.objects.all() if items is None else items
    readable = readable_touchpoints(user=user)
    return items if readable is None else items.filter(touchpoint__in=readable)


@dataclass(frozen=True)
class TopicStats:
    topic: Topic
    count: int
    negative: int
    current: int
    previous: int
    change: Change  # of the topic's share of all items, current period against the previous one
    negative_change: Change = NO_TEST  # of the share of its items that are negative, current against previous

    @property
    def souring(self) -> bool:
        """Its comments turned significantly more negative (current period against the previous one)."""
        return self.negative_change.significant and (self.negative_change.delta or 0) > 0

    @property
    def negative_share(self) -> float | None:
        return round(100 * self.negative / self.count, 1) if self.count else None

    @property
    def direction(self) -> str:
        if not self.change.significant or self.change.delta is None:
            return "flat"
        return "rising" if self.change.delta > 0 else "falling"


def topic_stats(
    *, items: QuerySet[FeedbackItem], now: datetime | None = None, days: int = TREND_DAYS
) -> list[TopicStats]:
    """Every visible topic (not hidden, not merged away) with its counts among ``items``: all, negative, in the
    last ``days`` and in the ``days`` before; the trend is a two-proportion test of its share. Two queries."""
    now = now or timezone.now()
    current_from, previous_from = now - timedelta(days=days), now - timedelta(days=2 * days)
    totals = items.aggregate(
        current=Count("pk", filter=Q(occurred_at__gte=current_from, occurred_at__lte=now)),
        previous=Count("pk", filter=Q(occurred_at__gte=previous_from, occurred_at__lt=current_from)),
    )
    topics = (
        Topic.objects.filter(hidden=False, merged_into__isnull=True)
        .annotate(
            n=Count("items", filter=Q(items__in=items), distinct=True),
            neg=Count("items", filter=Q(items__in=items, items__sentiment=Sentiment.NEGATIVE), distinct=True),
            cur=Count(
                "items",
                filter=Q(items__in=items, items__occurred_at__gte=current_from, items__occurred_at__lte=now),
                distinct=True,
            ),
            prev=Count(
                "items",
                filter=Q(items__in=items, items__occurred_at__gte=previous_from, items__occurred_at__lt=current_from),
                distinct=True,
            ),
            cur_neg=Count(
                "items",
                filter=Q(
                    items__in=items,
                    items__occurred_at__gte=current_from,
                    items__occurred_at__lte=now,
                    items__sentiment=Sentiment.NEGATIVE,
                ),
                distinct=True,
            ),
            prev_neg=Count(
                "items",
                filter=Q(
                    items__in=items,
                    items__occurred_at__gte=previous_from,
                    items__occurred_at__lt=current_from,
                    items__sentiment=Sentiment.NEGATIVE,
                ),
                distinct=True,
            ),
        )
        .order_by("-n", "label", "pk")
    )
    return [
        TopicStats(
            topic=t,
            count=t.n,
            negative=t.neg,
            current=t.cur,
            previous=t.prev,
            change=two_proportions(successes1=t.prev, n1=totals["previous"], successes2=t.cur, n2=totals["current"]),
            negative_change=two_proportions(successes1=t.prev_neg, n1=t.prev, successes2=t.cur_neg, n2=t.cur),
        )
        for t in topics
    ]


def topic_links(topic: Topic) -> tuple[list, list]:
    """What was made from the topic: the actions opened on it and the pain points put on a map from it (for the
    topic page, CX managers); two queries however many there are."""
    actions = list(topic.actions.order_by("-created_at", "-pk"))
    pain_points = list(
        topic.pain_point_links.select_related("pain_point__journey_map", "pain_point__touchpoint").order_by(
            "-created_at", "-pk"
        )
    )
    return actions, pain_points
