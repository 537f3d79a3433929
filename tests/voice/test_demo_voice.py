"""The demo tells a Voice story on first start: survey comments and tickets/reviews analysed, topics found."""

import pytest

from demo.loader import demo_load
from voice.models import FeedbackItem, Topic

pytestmark = pytest.mark.django_db


def test_demo_loads_analysed_feedback_once():
    counts = demo_load()
    assert counts["feedback_items"] == FeedbackItem.objects.count() > 300
    assert set(FeedbackItem.objects.values_list("source", flat=True)) == {"survey", "ticket", "review"}
    assert set(FeedbackItem.objects.values_list("language", flat=True)) == {"de", "en"}
    assert not FeedbackItem.objects.filter(analysed_at__isnull=True).exists()
    assert FeedbackItem.objects.filter(sentiment="negative").exists()
    assert FeedbackItem.objects.filter(sentiment="positive").exists()
    assert Topic.objects.filter(items__source="ticket").distinct().count() >= 3
    assert demo_load()["feedback_items"] == 0
