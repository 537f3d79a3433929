"""The text KPIs of the registry: ``sentiment`` (mean score × 100, with n and margin) and ``negative_share``
(% negative) come from Voice's analysed items through the recompute, per scope and bucket, and equal a hand
computation; the metrics API serves them with their change against the previous period."""

import math
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from metrics.selectors.snapshots import kpi_by_scope, kpi_series
from metrics.services import snapshots_recompute
from tests.journeys.factories import CustomerFactory, PersonaFactory, TouchpointFactory
from voice.models import FeedbackItem

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


def _item(score, *, day, touchpoint=None, customer=None):
    label = "" if score is None else "negative" if score < -0.2 else "positive" if score > 0.2 else "neutral"
    return FeedbackItem.objects.create(
        text="…",
        touchpoint=touchpoint,
        customer=customer,
        occurred_at=datetime(2026, day[0], day[1], 10, tzinfo=BERLIN),
        sentiment_score=score,
        sentiment=label,
    )


def test_sentiment_and_negative_share_equal_a_hand_computation_per_scope_and_month(api_client_for):
    buyer = PersonaFactory(name="Einkauf")
    shop, hotline = TouchpointFactory(name="Shop"), TouchpointFactory(name="Hotline")
    april = [(-0.8, shop), (-0.4, shop), (0.6, hotline), (0.0, hotline)]
    may = [(0.5, shop), (0.9, shop), (-0.6, hotline)]
    for score, touchpoint in april:
        _item(score, day=(4, 10), touchpoint=touchpoint, customer=CustomerFactory(persona=buyer))
    for score, touchpoint in may:
        _item(score, day=(5, 3), touchpoint=touchpoint)
    _item(None, day=(5, 4), touchpoint=shop)  # not analysed yet: not counted
    snapshots_recompute()

    series = kpi_series(kpi="sentiment", date_from=date(2026, 4, 1), date_to=date(2026, 5, 31))
    scores = [s for s, _tp in april + may]
    mean = sum(scores) / len(scores)
    sd = math.sqrt(sum(s * s for s in scores) / len(scores) - mean * mean)
    assert series["total"].value == round(100 * mean, 1) and series["total"].n == 7
    assert series["total"].margin_of_error == round(100 * 1.96 * sd / math.sqrt(7), 1)
    assert [r["value"] for r in series["results"]] == [
        round(100 * sum(s for s, _ in april) / 4, 1),
        round(100 * sum(s for s, _ in may) / 3, 1),
    ]
    spring = {"date_from": date(2026, 4, 1), "date_to": date(2026, 5, 31)}
    share = kpi_by_scope(
        kpi="negative_share", scope_type="touchpoint", date_from=date(2026, 4, 1), date_to=date(2026, 5, 31)
    )
    assert share[str(shop.pk)].value == 50.0 and share[str(shop.pk)].n == 4  # −0.8, −0.4 of four
    assert share[str(hotline.pk)].value == round(100 / 3, 1)  # −0.6 of three
    persona = kpi_by_scope(kpi="sentiment", scope_type="persona", **spring)
    assert persona[str(buyer.pk)].value == round(100 * sum(s for s, _ in april) / 4, 1)

    body = (
        api_client_for(["metrics:read"])
        .get(
            "/api/v1/metrics/",
            {
                "kpi": "negative_share",
                "from": "2026-05-01",
                "to": "2026-05-31",
                "bucket": "month",
                "compare": "previous",
            },
        )
        .json()
    )
    assert body["total"]["value"] == round(100 / 3, 1) and body["total"]["n"] == 3
    assert body["total"]["change"]["delta"] == round(100 / 3 - 50.0, 1)  # April: 2 of 4 negative
    assert body["total"]["change"]["significant"] is False  # 7 texts: within noise
