"""Sentiment KPIs from feedback items, and the map's measured emotion from text where scores are thin."""

from datetime import timedelta

import pytest
from django.utils import timezone

from metrics import emotion, voice_kpis
from metrics.selectors import dashboards
from tests.metrics.test_map_kpis import lit_map  # noqa: F401 - the fixture
from tests.voice.factories import items
from voice.models import FeedbackItem

pytestmark = pytest.mark.django_db

COMPLAINTS = [
    "The hotline never answered, very disappointing.",
    "Nobody called back, terrible service.",
    "Die Hotline war nicht erreichbar, sehr ärgerlich.",
    "Schlechter Service, niemand hat zurückgerufen.",
]


def test_sentiment_and_negative_share():
    items(*({"text": t} for t in COMPLAINTS), {"text": "Great support, thank you very much!"})
    kpis = voice_kpis.sentiment_kpis()
    assert kpis["negative_share"].value == 80.0 and kpis["negative_share"].n == 5
    assert -100 <= kpis["sentiment"].value < 0 and kpis["sentiment"].margin_of_error > 0
    assert voice_kpis.sentiment_kpis(FeedbackItem.objects.none())["sentiment"].value is None


def test_text_sentiment_fills_the_curve_where_scores_are_thin(lit_map, settings):  # noqa: F811
    journey_map, shop, hotline = lit_map
    when = (timezone.now() - timedelta(days=1)).isoformat()
    items(*({"text": t, "touchpoint": hotline.pk, "occurred_at": when} for t in COMPLAINTS * 3))
    items(
        *(
            {"text": t, "touchpoint": shop.pk, "occurred_at": when, "external_id": f"s{i}"}
            for i, t in enumerate(COMPLAINTS * 3)
        )
    )
    today = timezone.localdate()
    curve = dashboards.map_kpis(map_id=journey_map.pk, date_from=today - timedelta(days=30), date_to=today)["curve"]
    # "Buy" has enough scores: its point stays theirs. "Support" has 3 NPS answers only: text sentiment speaks.
    assert [s["kpi"] for s in curve[0]["sources"]] == ["nps", "csat", "ces"]
    assert [(s["kpi"], s["n"]) for s in curve[1]["sources"]] == [("sentiment", 12)]
    assert curve[1]["measured"] < 0
    assert "12 texts" in emotion.source_text(curve[1]["sources"][0])
    settings.CX_MIN_SAMPLE_SIZE = 13
    curve = dashboards.map_kpis(map_id=journey_map.pk, date_from=today - timedelta(days=30), date_to=today)["curve"]
    assert curve[1]["measured"] is None
