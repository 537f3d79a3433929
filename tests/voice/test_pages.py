"""The Voice pages: topics with volume and negative share, a topic's comments marked and escaped, steering by
CX managers, and department members reading their touchpoints' comments only."""

import pytest
from django.urls import reverse
from django.utils import translation

from actionplans.models import TouchpointOwnership
from tests.journeys.factories import TouchpointFactory
from tests.voice.factories import items
from voice import tasks  # noqa: F401 - registers the tasks the steering queues by name
from voice.models import FeedbackItem, Topic

pytestmark = pytest.mark.django_db

LATE = [
    "The delivery was late again <script>alert(1)</script> and nobody called.",
    "Delivery late, the spare parts arrived two weeks after the promised date.",
    "Late delivery of the spare parts, very annoying.",
    "Another late delivery, the spare parts were missing.",
]


@pytest.fixture
def voiced(db):
    touchpoint = TouchpointFactory(name="Spare parts shop")
    items(*({"text": t, "touchpoint": touchpoint.pk} for t in LATE), rebuild=True)
    topic = next(t for t in Topic.objects.all() if t.items.filter(external_id="t1").exists())
    return touchpoint, topic


def test_overview_ranks_topics_with_negative_share(manager_client, voiced):
    _touchpoint, topic = voiced
    response = manager_client.get(reverse("voice:overview"))
    assert response.status_code == 200
    assert topic.display_label in response.content.decode()
    assert [s.topic for s in response.context["stats"]][0] == topic
    assert response.context["kpis"]["negative_share"].value >= 75.0


def test_topic_page_marks_the_topic_words_and_escapes_the_text(manager_client, voiced):
    _touchpoint, topic = voiced
    html = manager_client.get(reverse("voice:topic_detail", args=[topic.pk])).content.decode()
    assert "<mark>" in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_steering_rename_hide_merge(manager_client, voiced, django_capture_on_commit_callbacks):
    _touchpoint, topic = voiced
    manager_client.post(reverse("voice:topic_rename", args=[topic.pk]), {"label": "Lieferverzug"})
    topic.refresh_from_db()
    assert topic.display_label == "Lieferverzug"
    assert "Lieferverzug" in manager_client.get(reverse("voice:overview")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(reverse("voice:topic_hide", args=[topic.pk]), {"hidden": "1"})
    assert not FeedbackItem.objects.filter(topics=topic).exists()  # noise: assigned to nothing
    assert topic not in [s.topic for s in manager_client.get(reverse("voice:overview")).context["stats"]]
    other = Topic.objects.create(key="en-other", language="en", label="Other thing")
    response = manager_client.post(reverse("voice:topic_merge", args=[other.pk]), {"target": other.pk})
    other.refresh_from_db()
    assert other.merged_into is None  # not into itself: the choice is refused, nothing changes
    assert response.status_code == 302


def test_department_members_see_their_touchpoints_only_and_cannot_steer(client, sales_member, sales, voiced):
    touchpoint, topic = voiced
    client.force_login(sales_member)
    response = client.get(reverse("voice:overview"))
    assert response.status_code == 200 and response.context["stats"] == []
    TouchpointOwnership.objects.create(touchpoint=touchpoint, department=sales)
    response = client.get(reverse("voice:overview"))
    assert [s.topic for s in response.context["stats"]][0] == topic
    assert "Rebuild topics" not in response.content.decode()
    assert client.post(reverse("voice:topic_rename", args=[topic.pk]), {"label": "x"}).status_code == 403
    assert client.post(reverse("voice:rebuild")).status_code == 403


def test_pages_in_german(manager_client, voiced):
    _touchpoint, topic = voiced
    with translation.override("de"):
        manager_client.cookies["django_language"] = "de"
        html = manager_client.get(reverse("voice:overview"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Stimme des Kunden" in html and "Themen neu berechnen" in html


def test_overview_filters_by_persona_and_language(manager_client):
    from tests.journeys.factories import CustomerFactory, PersonaFactory

    buyer = PersonaFactory(name="Einkäuferin")
    customer = CustomerFactory(external_id="K-1", persona=buyer)
    items(
        {"text": "Die Lieferung kam zu spät, sehr ärgerlich.", "customer": "K-1", "language": "de"},
        {"text": "The delivery was late and the driver was rude.", "language": "en"},
        {"text": "The invoice was wrong again, very annoying.", "language": "en"},
        rebuild=True,
    )
    assert customer.pk

    by_persona = manager_client.get(reverse("voice:overview"), {"persona": buyer.pk})
    assert by_persona.context["kpis"]["negative_share"].n == 1
    by_language = manager_client.get(reverse("voice:overview"), {"language": "en"})
    assert by_language.context["kpis"]["negative_share"].n == 2
    assert 'name="persona"' in by_language.content.decode() and 'name="language"' in by_language.content.decode()
