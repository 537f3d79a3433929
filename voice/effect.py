"""A topic before and after a moment (an action opened on it): its share of all comments and the share of its
comments that are negative, in the ``days`` before against the ``days`` after (up to now), each with a
two-proportion test — the Voice counterpart of an action's KPI effect."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from cxportal.stats import Change, two_proportions
from voice.models import FeedbackItem, Sentiment, Topic

EFFECT_DAYS = 30


@dataclass(frozen=True)
class TopicEffect:
    days: int
    before_items: int  # all comments in the window before
    before_topic: int  # … of them on the topic
    before_negative: int  # … of those negative
    after_items: int
    after_topic: int
    after_negative: int
    share_change: Change  # share of comments on the topic, after − before (points)
    negative_change: Change  # negative share of the topic's comments, after − before (points)

    @staticmethod
    def _share(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    @property
    def before_share(self) -> float | None:
        return self._share(self.before_topic, self.before_items)

    @property
    def after_share(self) -> float | None:
        return self._share(self.after_topic, self.after_items)

    @property
    def before_negative_share(self) -> float | None:
        return self._share(self.before_negative, self.before_topic)

    @property
    def after_negative_share(self) -> float | None:
        return self._share(self.after_negative, self.after_topic)


def topic_effect(topic: Topic, *, at: datetime, days: int = EFFECT_DAYS, now: datetime | None = None) -> TopicEffect:
    """One query: every analysed comment in the two windows, counted by window, topic and sentiment."""
    now = now or timezone.now()
    start, end = at - timedelta(days=days), min(at + timedelta(days=days), now)
    on_topic = Q(topics=topic)
    negative = Q(sentiment=Sentiment.NEGATIVE)
    before, after = Q(occurred_at__gte=start, occurred_at__lt=at), Q(occurred_at__gte=at, occurred_at__lt=end)
    row = FeedbackItem.objects.filter(analysed_at__isnull=False, occurred_at__gte=start, occurred_at__lt=end).aggregate(
        before_items=Count("pk", filter=before, distinct=True),
        before_topic=Count("pk", filter=before & on_topic, distinct=True),
        before_negative=Count("pk", filter=before & on_topic & negative, distinct=True),
        after_items=Count("pk", filter=after, distinct=True),
        after_topic=Count("pk", filter=after & on_topic, distinct=True),
        after_negative=Count("pk", filter=after & on_topic & negative, distinct=True),
    )
    return TopicEffect(
        days=days,
        **row,
        share_change=two_proportions(
            successes1=row["before_topic"], n1=row["before_items"], successes2=row["after_topic"], n2=row["after_items"]
        ),
        negative_change=two_proportions(
            successes1=row["before_negative"],
            n1=row["before_topic"],
            successes2=row["after_negative"],
            n2=row["after_topic"],
        ),
    )


def topic_touchpoints(topic: Topic):
    """The touchpoints the topic's comments name, most named first, each with ``comments`` (how many name it),
    and its stage and map (one query)."""
    from journeys.models import Touchpoint

    return (
        Touchpoint.objects.filter(feedback_items__topics=topic)
        .annotate(comments=Count("feedback_items"))
        .select_related("stage__journey_map")
        .order_by("-comments", "pk")
    )


def topic_main_touchpoint(topic: Topic):
    """The touchpoint most of the topic's comments name (None when none names one)."""
    return topic_touchpoints(topic).first()


def topic_summary(topic: Topic) -> dict:
    """Comments on the topic, how many negative, and the period they were written in (one query)."""
    return topic.items.aggregate(
        n=Count("pk"),
        negative=Count("pk", filter=Q(sentiment=Sentiment.NEGATIVE)),
        first=Min("occurred_at"),
        last=Max("occurred_at"),
    )


def topic_counts(topic: Topic) -> tuple[int, int]:
    """(comments, negative comments) on the topic."""
    row = topic.items.aggregate(n=Count("pk"), negative=Count("pk", filter=Q(sentiment=Sentiment.NEGATIVE)))
    return row["n"], row["negative"]
