"""The lit-up journey map names, under each touchpoint's badges, what its customers write about: its most
mentioned Voice topics in the map's period with their negative share, linked to the topic filtered to that
touchpoint; escaped; the same queries for many touchpoints as for two; members only for their touchpoints."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from actionplans.models import TouchpointOwnership
from tests.journeys.factories import JourneyMapFactory, StageFactory, TouchpointFactory
from voice.models import FeedbackItem, Sentiment, Topic

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


def _say(touchpoint, topic, *, count, negative, days_ago=3):
    for i in range(count):
        item = FeedbackItem.objects.create(
            text="…",
            touchpoint=touchpoint,
            occurred_at=timezone.now() - timedelta(days=days_ago),
            sentiment=Sentiment.NEGATIVE if i < negative else Sentiment.POSITIVE,
            analysed_at=timezone.now(),
        )
        item.topics.add(topic)


@pytest.fixture
def spoken_map():
    journey_map = JourneyMapFactory(name="Ersatzteile kaufen")
    stage = StageFactory(journey_map=journey_map)
    shop, hotline = TouchpointFactory(stage=stage, name="Shop"), TouchpointFactory(stage=stage, name="Hotline")
    topics = [
        Topic.objects.create(key=f"k{i}", language="de", label=label)
        for i, label in enumerate(["Lieferzeit", "Preis <b>", "Bedienung", "Rechnung"])
    ]
    _say(shop, topics[0], count=5, negative=4)
    _say(shop, topics[1], count=3, negative=0)
    _say(shop, topics[2], count=2, negative=1)
    _say(shop, topics[3], count=1, negative=1)  # the fourth: not shown
    _say(shop, topics[3], count=9, negative=9, days_ago=200)  # outside the map's 90 days
    _say(hotline, topics[2], count=2, negative=2)
    return journey_map, shop, hotline, topics


def test_each_touchpoint_shows_its_top_topics_with_negative_share(manager_client, spoken_map):
    journey_map, shop, hotline, topics = spoken_map
    html = manager_client.get(reverse("metrics:map_kpis", args=[journey_map.pk]), **HX).content.decode()
    shop_part = html[html.index(f'data-touchpoint="{shop.pk}"') :].split("</div>")[0]
    assert "Lieferzeit" in shop_part and "(5, 80.0 % negative)" in shop_part
    assert "Preis &lt;b&gt;" in shop_part and "(3, 0.0 % negative)" in shop_part
    assert "Bedienung" in shop_part and "Rechnung" not in shop_part
    assert f"/voice/topics/{topics[0].pk}/?touchpoint={shop.pk}" in shop_part
    hotline_part = html[html.index(f'data-touchpoint="{hotline.pk}"') :].split("</div>")[0]
    assert "Bedienung" in hotline_part and "(2, 100.0 % negative)" in hotline_part


def test_members_see_topics_only_at_their_touchpoints(client, sales_member, sales, spoken_map):
    journey_map, shop, hotline, _topics = spoken_map
    TouchpointOwnership.objects.create(touchpoint=hotline, department=sales)
    client.force_login(sales_member)
    html = client.get(reverse("metrics:map_kpis", args=[journey_map.pk]), **HX).content.decode()
    assert f'data-touchpoint="{hotline.pk}"' in html and f'data-touchpoint="{shop.pk}"' not in html


def test_the_same_queries_for_many_touchpoints(manager_client, spoken_map, django_assert_max_num_queries):
    journey_map, shop, _hotline, topics = spoken_map
    url = reverse("metrics:map_kpis", args=[journey_map.pk])
    manager_client.get(url, **HX)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        manager_client.get(url, **HX)
    queries = len(few.captured_queries)  # now: the connection's query log is a bounded ring
    for i in range(6):
        touchpoint = TouchpointFactory(stage=shop.stage, name=f"TP {i}")
        _say(touchpoint, topics[i % 4], count=2, negative=1)
    with django_assert_max_num_queries(queries):
        manager_client.get(url, **HX)
