"""An emerging topic (its share of the comments up significantly in the last 30 days) fires ``topic.emerging``
once per topic and week; a steady topic does not."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cxportal.webhooks.models import WebhookDelivery
from cxportal.webhooks.services import webhook_subscription_create
from tests.voice.factories import items
from voice.models import FeedbackItem, Topic
from voice.services.alerts import emerging_topics_notify

pytestmark = pytest.mark.django_db

LATE = "The spare parts delivery was late again."
OTHER = ["Friendly technician, thank you.", "The invoice was correct.", "Good training for the operators."]


def test_a_rising_topic_fires_topic_emerging_once_per_week():
    webhook_subscription_create(name="Receiver", url="https://93.184.215.14/cx-hook", events=["topic.emerging"])
    now = timezone.now()
    old = (now - timedelta(days=45)).isoformat()
    recent = (now - timedelta(days=5)).isoformat()
    rows = [{"text": t, "occurred_at": old, "external_id": f"o{i}"} for i, t in enumerate(OTHER * 10)]
    rows += [{"text": LATE, "occurred_at": old, "external_id": "o-late"}]
    rows += [{"text": t, "occurred_at": recent, "external_id": f"r{i}"} for i, t in enumerate(OTHER * 3)]
    rows += [{"text": LATE, "occurred_at": recent, "external_id": f"late{i}"} for i in range(15)]
    items(*rows, rebuild=True)
    late = Topic.objects.filter(items__external_id="late0").first()
    assert late is not None
    assert late.pk in emerging_topics_notify(now=now)
    delivery = WebhookDelivery.objects.get(event_type="topic.emerging")
    assert delivery.payload["data"]["topic"] == late.pk and delivery.payload["data"]["current"] == 15
    emerging_topics_notify(now=now)  # the same week: not again
    assert WebhookDelivery.objects.filter(event_type="topic.emerging").count() == 1
    steady = Topic.objects.filter(items__external_id="o0").first()
    assert steady is None or steady.pk not in emerging_topics_notify(now=now)


def _rising_topic(now):
    old = (now - timedelta(days=45)).isoformat()
    recent = (now - timedelta(days=5)).isoformat()
    rows = [{"text": t, "occurred_at": old, "external_id": f"o{i}"} for i, t in enumerate(OTHER * 10)]
    rows += [{"text": LATE, "occurred_at": old, "external_id": "o-late"}]
    rows += [{"text": t, "occurred_at": recent, "external_id": f"r{i}"} for i, t in enumerate(OTHER * 3)]
    rows += [{"text": LATE, "occurred_at": recent, "external_id": f"late{i}"} for i in range(15)]
    items(*rows, rebuild=True)
    return Topic.objects.filter(items__external_id="late0").first()


def test_cx_managers_are_told_in_the_app_and_by_e_mail_once_a_week_in_their_language(
    manager, django_user_model, sales_member, django_capture_on_commit_callbacks
):
    from django.core import mail

    from cxportal import roles
    from cxportal.models import Profile
    from metrics.models import Notification
    from tests.conftest import _user

    german = _user(django_user_model, "leiterin", roles.CX_MANAGER)
    Profile.objects.create(user=german, language="de")
    now = timezone.now()
    late = _rising_topic(now)

    with django_capture_on_commit_callbacks(execute=True):
        emerging_topics_notify(now=now)

    mine = Notification.objects.get(user=manager)
    assert mine.kind == "topic" and mine.url == f"/voice/topics/{late.pk}/"
    assert mine.title == f"Emerging topic: {late.display_label}"
    assert "15 comments on" in mine.body and "rose significantly" in mine.body
    theirs = Notification.objects.get(user=german)
    assert theirs.title == f"Aufkommendes Thema: {late.display_label}"
    assert not Notification.objects.filter(user=sales_member).exists()  # departments are not CX managers
    assert sorted(m.to[0] for m in mail.outbox) == sorted([manager.email, german.email])
    german_mail = next(m for m in mail.outbox if m.to == [german.email])
    assert "Aufkommendes Thema" in german_mail.subject and f"/voice/topics/{late.pk}/" in german_mail.body

    with django_capture_on_commit_callbacks(execute=True):
        emerging_topics_notify(now=now)  # the same week: nobody is told again
    assert Notification.objects.filter(kind="topic").count() == 2 and len(mail.outbox) == 2


def test_a_steady_topic_tells_nobody(manager, django_capture_on_commit_callbacks):
    from metrics.models import Notification

    now = timezone.now()
    old = (now - timedelta(days=45)).isoformat()
    recent = (now - timedelta(days=5)).isoformat()
    rows = [{"text": t, "occurred_at": old, "external_id": f"o{i}"} for i, t in enumerate(OTHER * 10)]
    rows += [{"text": t, "occurred_at": recent, "external_id": f"r{i}"} for i, t in enumerate(OTHER * 10)]
    items(*rows, rebuild=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert emerging_topics_notify(now=now) == []
    assert not Notification.objects.exists()


def test_a_topic_whose_comments_turn_negative_emerges_too(manager, django_capture_on_commit_callbacks):
    """As many comments on the topic as before, but now most of them complaints: CX managers are told why."""
    from metrics.models import Notification
    from voice.models import Sentiment

    now = timezone.now()
    topic = Topic.objects.create(key="hotline", language="de", label="Hotline")

    def say(days_ago, count, negative):
        for i in range(count):
            item = FeedbackItem.objects.create(
                text="Hotline",
                occurred_at=now - timedelta(days=days_ago),
                sentiment=Sentiment.NEGATIVE if i < negative else Sentiment.POSITIVE,
                sentiment_score=-0.5 if i < negative else 0.5,
                analysed_at=now,
            )
            item.topics.add(topic)

    say(45, 20, 2)  # before: 20 comments, 10 % negative
    say(5, 20, 16)  # now: 20 comments, 80 % negative — the same volume
    with django_capture_on_commit_callbacks(execute=True):
        assert emerging_topics_notify(now=now) == [topic.pk]
    body = Notification.objects.get(user=manager).body
    assert "the share of them that are negative rose significantly, by 70.0 points" in body
