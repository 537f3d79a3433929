"""Emerging topics: after a topic rebuild, a topic whose share of the comments — or the share of its comments
that are negative — rose significantly in the last 30 days (two-proportion tests, ``voice.selectors.topic_stats``)
with at least ``CX_MIN_SAMPLE_SIZE`` comments
in that period fires the ``topic.emerging`` webhook and the ``voice.signals.topic_emerging`` signal (CX managers
are told in the app and by e-mail, ``metrics.topic_alerts``), once per topic and ISO week."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cxportal.webhooks.services import webhook_emit
from voice import selectors
from voice.models import FeedbackItem, Topic
from voice.signals import topic_emerging


def emerging_topics_notify(*, now=None) -> list[int]:
    """Emit ``topic.emerging`` for every emerging topic; returns their ids."""
    now = now or timezone.now()
    year, week, _day = timezone.localtime(now).isocalendar()
    emerging = []
    with transaction.atomic():
        for stats in selectors.topic_stats(items=FeedbackItem.objects.all(), now=now):
            rising_or_souring = stats.direction == "rising" or stats.souring
            if not rising_or_souring or stats.current < settings.CX_MIN_SAMPLE_SIZE:
                continue
            emerging.append(stats.topic.pk)
            webhook_emit(
                event_type="topic.emerging",
                key=f"topic:{stats.topic.pk}:{year}-W{week:02d}",
                data={
                    "topic": stats.topic.pk,
                    "label": stats.topic.display_label,
                    "language": stats.topic.language,
                    "current": stats.current,
                    "previous": stats.previous,
                    "negative_share": stats.negative_share,
                    "change": stats.change.as_dict(),
                    "negative_change": stats.negative_change.as_dict(),
                },
            )
            topic_emerging.send(sender=Topic, stats=stats, week=f"{year}-W{week:02d}")
    return emerging
