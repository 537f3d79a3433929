"""From a Voice topic: "Create action" prefills the new-action form and the action keeps the topic, whose page
lists it; the action page shows the topic before and after (hand-counted); "Create pain point" shows the pain
point prefilled — on the map where its comments are — to check and change, and creates it naming the topic as
its source. Department members cannot."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from actionplans.models import Action, TouchpointOwnership
from journeys.models import PainPoint
from voice.effect import topic_effect
from voice.models import FeedbackItem, Sentiment, Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic_world(sales):
    from tests.journeys.factories import TouchpointFactory

    shop = TouchpointFactory(name="Ersatzteilshop")
    hotline = TouchpointFactory(name="Hotline")
    TouchpointOwnership.objects.create(touchpoint=shop, department=sales)
    topic = Topic.objects.create(key="lieferzeit", language="de", label="Lieferzeit")
    now = timezone.now()

    def add(days_ago, *, on_topic, negative, touchpoint=shop, text="Lieferung zu spät"):
        item = FeedbackItem.objects.create(
            text=text,
            touchpoint=touchpoint,
            occurred_at=now - timedelta(days=days_ago),
            sentiment=Sentiment.NEGATIVE if negative else Sentiment.NEUTRAL,
            sentiment_score=-0.5 if negative else 0.0,
            analysed_at=now,
        )
        if on_topic:
            item.topics.add(topic)

    # 20 days before now: 10 comments, 6 on the topic (5 negative); the last 10 days: 10, 2 on it (0 negative).
    for i in range(10):
        add(20, on_topic=i < 6, negative=i < 5)
        add(5, on_topic=i < 2, negative=False, text="Termin gehalten")
    add(25, on_topic=True, negative=True, touchpoint=hotline)  # the topic's second touchpoint, fewer comments
    return topic, shop, now


def test_create_action_from_a_topic_keeps_the_link_and_shows_before_and_after(manager_client, sales, topic_world):
    topic, shop, now = topic_world
    form = manager_client.get(reverse("actionplans:action_create"), {"topic": topic.pk})
    assert form.context["form"].initial["touchpoint"] == shop.pk
    assert form.context["form"].initial["department"] == sales.pk
    assert "Lieferzeit" in form.context["form"].initial["title"]

    data = {"title": "Lieferzeiten verkürzen", "department": sales.pk, "touchpoint": shop.pk, "impact": 3, "effort": 2}
    data["due_date"] = (timezone.localdate() + timedelta(days=30)).isoformat()
    answer = manager_client.post(reverse("actionplans:action_create") + f"?topic={topic.pk}", data)
    action = Action.objects.get(title="Lieferzeiten verkürzen")
    assert answer.status_code == 302 and action.source_topic == topic

    # Started 10 days ago: 30 days before hold 11 comments, 7 on the topic, 6 negative; after: 10, 2, 0.
    Action.objects.filter(pk=action.pk).update(created_at=now - timedelta(days=10))
    action.refresh_from_db()
    effect = topic_effect(topic, at=action.created_at, now=now)
    assert (effect.before_items, effect.before_topic, effect.before_negative) == (11, 7, 6)
    assert (effect.after_items, effect.after_topic, effect.after_negative) == (10, 2, 0)
    assert effect.before_share == 63.6 and effect.after_share == 20.0
    assert effect.share_change.delta == pytest.approx(100 * (2 / 10 - 7 / 11))
    page = manager_client.get(reverse("actionplans:action_detail", args=[action.pk])).content.decode()
    assert 'id="topic-effect"' in page and "63.6 %" in page and "20.0 %" in page
    topic_page = manager_client.get(reverse("voice:topic_detail", args=[topic.pk])).content.decode()
    assert f'href="/actions/{action.pk}/">Lieferzeiten verkürzen</a>' in topic_page


def _create_as_drafted(client, topic):
    """Open "Create pain point" and save what it proposes."""
    url = reverse("voice:topic_pain_point", args=[topic.pk])
    initial = client.get(url).context["form"].initial
    return client.post(url, {**initial, "touchpoint": initial["touchpoint"]})


def test_create_pain_point_puts_the_topic_on_the_map_of_its_comments(manager_client, topic_world):
    topic, shop, now = topic_world
    form = manager_client.get(reverse("voice:topic_pain_point", args=[topic.pk]))
    assert not PainPoint.objects.exists()  # nothing until it is saved
    html = form.content.decode()
    assert "(8 comments)" in html and "Hotline (1 comment)" in html  # both touchpoints its comments name
    assert form.context["form"].initial["touchpoint"] == shop.pk
    answer = _create_as_drafted(manager_client, topic)
    pain_point = PainPoint.objects.get()
    assert answer.status_code == 302 and answer["Location"] == reverse(
        "journeys:map_findings", args=[shop.stage.journey_map_id]
    )
    assert (pain_point.touchpoint, pain_point.stage, pain_point.title) == (shop, shop.stage, "Lieferzeit")
    assert f"/voice/topics/{topic.pk}/" in pain_point.source and pain_point.evidence == "Lieferung zu spät"
    # Evidence: 9 comments on the topic (6 + 2 + 1), 6 of them negative (5 + 0 + 1) = 67 %, written 25 to 5 days ago.
    first, last = (
        date_format(timezone.localtime(now - timedelta(days=d)).date(), "SHORT_DATE_FORMAT") for d in (25, 5)
    )
    assert pain_point.description == (
        f"Voice topic “Lieferzeit”: 9 comments from {first} to {last}, 67 % of them negative."
    )
    # The link is kept, and the topic page lists the pain point with its map and touchpoint.
    assert list(topic.pain_point_links.values_list("pain_point", flat=True)) == [pain_point.pk]
    page = manager_client.get(reverse("voice:topic_detail", args=[topic.pk])).content.decode()
    listed = page.split('id="topic-pain-points"')[1].split("</p>")[0]
    assert "Lieferzeit" in listed and "Ersatzteilshop" in listed
    assert reverse("journeys:map_findings", args=[shop.stage.journey_map_id]) in listed


def test_the_manager_chooses_another_named_touchpoint_severity_and_words(manager_client, topic_world):
    topic, shop, _now = topic_world
    hotline = topic.items.exclude(touchpoint=shop).get().touchpoint
    url = reverse("voice:topic_pain_point", args=[topic.pk])
    data = {
        "title": "Lieferzeit am Telefon",
        "touchpoint": hotline.pk,
        "severity": 5,
        "description": "",
        "evidence": "",
    }
    answer = manager_client.post(url, data)
    assert answer.status_code == 302
    pain_point = PainPoint.objects.get()
    assert (pain_point.touchpoint, pain_point.stage, pain_point.severity) == (hotline, hotline.stage, 5)
    assert (pain_point.title, pain_point.description, pain_point.evidence) == ("Lieferzeit am Telefon", "", "")
    # Opened again, the form says the topic is already on the map.
    existing = manager_client.get(url).content.decode().split('id="existing-pain-points"')[1].split("</div>")[0]
    assert "Lieferzeit am Telefon" in existing and "Hotline" in existing


def test_a_touchpoint_the_comments_do_not_name_or_a_bad_severity_is_refused(manager_client, topic_world):
    from tests.journeys.factories import TouchpointFactory

    topic, shop, _now = topic_world
    url = reverse("voice:topic_pain_point", args=[topic.pk])
    elsewhere = TouchpointFactory(name="Messe")
    answer = manager_client.post(url, {"title": "x", "touchpoint": elsewhere.pk, "severity": 3})
    assert answer.status_code == 400 and "Select a valid choice" in answer.content.decode()
    answer = manager_client.post(url, {"title": "x", "touchpoint": shop.pk, "severity": 9})
    assert answer.status_code == 400
    assert not PainPoint.objects.exists() and not topic.pain_point_links.exists()


def test_a_topic_without_touchpoint_gets_no_pain_point_and_says_why(manager_client):
    topic = Topic.objects.create(key="preis", language="de", label="Preis")
    item = FeedbackItem.objects.create(text="Zu teuer", sentiment=Sentiment.NEGATIVE, analysed_at=timezone.now())
    item.topics.add(topic)
    for method in (manager_client.get, manager_client.post):
        answer = method(reverse("voice:topic_pain_point", args=[topic.pk]), follow=True)
        assert "names a touchpoint" in answer.content.decode()
    assert not PainPoint.objects.exists() and not topic.pain_point_links.exists()


def test_department_members_cannot_act_on_topics(client, sales_member, topic_world):
    topic, _shop, _now = topic_world
    client.force_login(sales_member)
    assert client.get(reverse("voice:topic_pain_point", args=[topic.pk])).status_code == 403
    assert client.post(reverse("voice:topic_pain_point", args=[topic.pk])).status_code == 403
    assert not PainPoint.objects.exists()
    page = client.get(reverse("voice:topic_detail", args=[topic.pk]))
    assert 'id="topic-act"' not in page.content.decode()


def test_the_topic_page_reads_its_actions_and_pain_points_in_the_same_queries_for_many(
    manager_client, sales, topic_world, django_assert_max_num_queries
):
    from tests.actionplans.factories import ActionFactory

    topic, _shop, _now = topic_world
    url = reverse("voice:topic_detail", args=[topic.pk])
    _create_as_drafted(manager_client, topic)
    ActionFactory(source_topic=topic, department=sales)
    with django_assert_max_num_queries(100) as few:
        assert manager_client.get(url).status_code == 200
    queries = len(few.captured_queries)  # now: the connection's query log is a bounded ring
    for _ in range(4):
        _create_as_drafted(manager_client, topic)
        ActionFactory(source_topic=topic, department=sales)
    with django_assert_max_num_queries(queries):
        page = manager_client.get(url).content.decode()
    assert page.count("/findings/") >= 5 and page.count('href="/actions/') >= 5


def test_the_pain_point_form_speaks_german(manager_client, topic_world):
    topic, _shop, _now = topic_world
    url = reverse("voice:topic_pain_point", args=[topic.pk])
    html = manager_client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Schmerzpunkt anlegen" in html and "Hotline (1 Kommentar)" in html and "(8 Kommentare)" in html
    assert "5 – kritisch" in html and "nothing is created" not in html
