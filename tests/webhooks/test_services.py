"""Subscriptions and the delivery bookkeeping: who gets an event, when, once, and after outages."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cxportal.errors import ApplicationError
from cxportal.webhooks import services, tasks
from cxportal.webhooks.delivery import AttemptResult
from cxportal.webhooks.models import WebhookDelivery, WebhookSubscription
from cxportal.webhooks.services import (
    webhook_delivery_attempt,
    webhook_delivery_redeliver,
    webhook_emit,
    webhook_subscription_create,
    webhook_subscription_update,
)
from tests.webhooks.conftest import PUBLIC_URL

pytestmark = pytest.mark.django_db


class TestSubscriptions:
    def test_secret_is_256_bit_random_and_events_are_kept_in_canonical_order(self):
        one = webhook_subscription_create(name="CRM", url=PUBLIC_URL, events=["action.done", "response.created"])
        two = webhook_subscription_create(name="BI", url=PUBLIC_URL, events=["action.done"])

        assert one.secret.startswith("whsec_") and len(one.secret) >= 6 + 43  # 32 bytes, url-safe base64
        assert one.secret != two.secret
        assert one.events == ["response.created", "action.done"]

    @pytest.mark.parametrize(
        ("events", "message"),
        [
            ([], "Choose at least one event."),
            (["response.created", "response.deleted"], "Unknown event(s): response.deleted."),
            (["ping"], "Unknown event(s): ping."),
            ("response.created", "Events must be a list"),
        ],
    )
    def test_events_must_be_known_event_names(self, events, message):
        with pytest.raises(ValidationError) as exc:
            webhook_subscription_create(name="CRM", url=PUBLIC_URL, events=events)
        assert message in exc.value.message_dict["events"][0]
        assert not WebhookSubscription.objects.exists()

    def test_name_is_required(self):
        with pytest.raises(ValidationError) as exc:
            webhook_subscription_create(name="  ", url=PUBLIC_URL, events=["action.done"])
        assert exc.value.message_dict == {"name": ["A name is required."]}

    def test_update_checks_the_new_url_and_changes_nothing_when_refused(self, subscribe):
        subscription = subscribe(PUBLIC_URL)
        with pytest.raises(ValidationError) as exc:
            webhook_subscription_update(subscription=subscription, data={"url": "http://10.0.0.1/", "name": "New"})
        assert "non-public address" in exc.value.message_dict["url"][0]
        subscription.refresh_from_db()
        assert (subscription.url, subscription.name) == (PUBLIC_URL, "Receiver")


class TestEmit:
    def test_only_active_subscriptions_of_that_event_get_a_delivery(self, subscribe):
        wanted = subscribe(PUBLIC_URL, events=["response.created", "response.detractor"])
        subscribe(PUBLIC_URL, events=["action.done"])
        subscribe(PUBLIC_URL, events=["response.created"], is_active=False)

        rows = webhook_emit(event_type="response.created", data={"response": 1})

        assert [(r.subscription, r.status, r.attempts) for r in rows] == [(wanted, "pending", 0)]
        assert rows[0].payload["type"] == "response.created" and rows[0].payload["data"] == {"response": 1}
        assert WebhookDelivery.objects.count() == 1

    def test_data_function_is_not_called_when_nobody_subscribed(self, subscribe):
        subscribe(PUBLIC_URL, events=["action.done"])

        def explode():
            raise AssertionError("gathered data nobody wants")

        assert webhook_emit(event_type="response.created", data=explode) == []

    def test_unknown_event_type_is_a_programming_error(self):
        with pytest.raises(ValueError, match="Unknown webhook event type"):
            webhook_emit(event_type="response.typo", data={})

    def test_attempt_is_queued_only_when_the_transaction_commits(
        self, subscribe, monkeypatch, django_capture_on_commit_callbacks
    ):
        subscribe(PUBLIC_URL)
        queued = []
        monkeypatch.setattr(tasks.deliver, "delay", queued.append)

        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            with pytest.raises(RuntimeError):
                with transaction.atomic():
                    webhook_emit(event_type="response.created", data={"response": 1})
                    raise RuntimeError("the write failed")
        assert callbacks == [] and queued == []
        assert not WebhookDelivery.objects.exists()

        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            (row,) = webhook_emit(event_type="response.created", data={"response": 2})
        assert queued == []  # nothing leaves before the commit
        callbacks[0]()
        assert queued == [row.pk]

    def test_keyed_event_reaches_each_subscription_once(self, subscribe):
        first = subscribe(PUBLIC_URL, events=["campaign.completed"])
        (one,) = webhook_emit(event_type="campaign.completed", data={"campaign": 5}, key="campaign:5")
        assert webhook_emit(event_type="campaign.completed", data={"campaign": 5}, key="campaign:5") == []

        later = subscribe(PUBLIC_URL, events=["campaign.completed"])
        (two,) = webhook_emit(event_type="campaign.completed", data={"campaign": 5}, key="campaign:5")

        assert (one.subscription, two.subscription) == (first, later)
        assert one.event_id == two.event_id  # the same event, as the receivers see it
        assert WebhookDelivery.objects.count() == 2

    def test_unkeyed_events_share_one_id_across_subscriptions_and_differ_between_emits(self, subscribe):
        subscribe(PUBLIC_URL)
        subscribe(PUBLIC_URL)
        a = webhook_emit(event_type="response.created", data={})
        b = webhook_emit(event_type="response.created", data={})
        assert len({r.event_id for r in a}) == 1 and a[0].event_id != b[0].event_id


class TestDueAndClaims:
    def test_broker_outage_delays_but_does_not_lose_the_delivery(
        self, subscribe, monkeypatch, django_capture_on_commit_callbacks
    ):
        subscribe(PUBLIC_URL)

        def broker_down(*args, **kwargs):
            raise ConnectionError("broker unreachable")

        monkeypatch.setattr(tasks.deliver, "delay", broker_down)
        with django_capture_on_commit_callbacks(execute=True):
            (row,) = webhook_emit(event_type="response.created", data={})  # the caller does not fail
        row.refresh_from_db()
        assert row.queued_at is None and row.status == "pending"

        queued = []
        monkeypatch.setattr(tasks.deliver, "delay", queued.append)
        assert tasks.deliver_due() == 1  # beat, once the broker is back
        assert queued == [row.pk]
        assert tasks.deliver_due() == 0  # queued a moment ago: not queued again
        later = timezone.now() + services.REQUEUE_AFTER + timedelta(seconds=1)
        assert services.webhook_deliveries_queue_due(now=later) == 1  # that task was lost: queue again

    def test_a_claimed_delivery_is_not_sent_by_a_second_worker(self, subscribe, monkeypatch):
        subscribe(PUBLIC_URL)
        (row,) = webhook_emit(event_type="response.created", data={})
        sent = []

        def fake_send(**kwargs):
            # While this worker sends, the same task arrives at another worker.
            sent.append(kwargs["event_id"])
            assert webhook_delivery_attempt(delivery_id=row.pk) is None
            return _ok()

        monkeypatch.setattr(services, "attempt_send", fake_send)

        assert webhook_delivery_attempt(delivery_id=row.pk) == "succeeded"
        assert webhook_delivery_attempt(delivery_id=row.pk) is None  # done: a repeated task sends nothing
        assert sent == [str(row.event_id)]
        row.refresh_from_db()
        assert row.attempts == 1

    def test_a_stale_claim_of_a_dead_worker_is_taken_over(self, subscribe, monkeypatch):
        subscribe(PUBLIC_URL)
        (row,) = webhook_emit(event_type="response.created", data={})
        monkeypatch.setattr(services, "attempt_send", lambda **kwargs: _ok())
        WebhookDelivery.objects.filter(pk=row.pk).update(claimed_at=timezone.now(), attempts=1)
        assert webhook_delivery_attempt(delivery_id=row.pk) is None  # a live claim

        WebhookDelivery.objects.filter(pk=row.pk).update(
            claimed_at=timezone.now() - services.CLAIM_TIMEOUT - timedelta(seconds=1)
        )
        assert webhook_delivery_attempt(delivery_id=row.pk) == "succeeded"
        row.refresh_from_db()
        assert (row.attempts, row.claimed_at) == (2, None)

    def test_deliveries_of_an_inactive_subscription_wait_until_it_is_active_again(self, subscribe, monkeypatch):
        subscription = subscribe(PUBLIC_URL)
        (row,) = webhook_emit(event_type="response.created", data={})
        webhook_subscription_update(subscription=subscription, data={"is_active": False})
        monkeypatch.setattr(services, "attempt_send", lambda **kwargs: _ok())

        assert webhook_delivery_attempt(delivery_id=row.pk) is None
        assert webhook_emit(event_type="response.created", data={}) == []

        queued = []
        monkeypatch.setattr(tasks.deliver, "delay", queued.append)
        webhook_subscription_update(subscription=subscription, data={"is_active": True})
        assert tasks.deliver_due() == 1 and queued == [row.pk]


class TestRedeliver:
    def test_failed_delivery_is_sent_again_with_the_same_event_and_fresh_attempts(
        self, subscribe, settings, monkeypatch, django_capture_on_commit_callbacks
    ):
        settings.WEBHOOKS_MAX_ATTEMPTS = 1
        subscribe(PUBLIC_URL)
        (row,) = webhook_emit(event_type="response.created", data={"response": 3})
        monkeypatch.setattr(services, "attempt_send", lambda **kwargs: _fail())
        webhook_delivery_attempt(delivery_id=row.pk)
        row.refresh_from_db()
        assert (row.status, row.last_error) == ("failed", "HTTP 500")

        payloads = []

        def receiver_back(**kwargs):
            payloads.append((kwargs["event_id"], kwargs["payload"]))
            return _ok()

        monkeypatch.setattr(services, "attempt_send", receiver_back)
        with django_capture_on_commit_callbacks(execute=True):
            webhook_delivery_redeliver(delivery=row)

        row.refresh_from_db()
        assert (row.status, row.attempts, row.last_error) == ("succeeded", 1, "")
        assert payloads == [(str(row.event_id), row.payload)]
        assert WebhookDelivery.objects.count() == 1

    def test_redeliver_is_refused_while_a_worker_is_sending_it(self, subscribe):
        subscribe(PUBLIC_URL)
        (row,) = webhook_emit(event_type="response.created", data={})
        WebhookDelivery.objects.filter(pk=row.pk).update(claimed_at=timezone.now(), attempts=1)

        with pytest.raises(ApplicationError, match="being sent right now"):
            webhook_delivery_redeliver(delivery=row)
        row.refresh_from_db()
        assert row.attempts == 1


def _ok():
    return AttemptResult(ok=True, status_code=200)


def _fail():
    return AttemptResult(ok=False, status_code=500, error="HTTP 500")


def test_beat_looks_for_due_deliveries_every_minute():
    from django_celery_beat.models import PeriodicTask

    job = PeriodicTask.objects.get(task="webhooks.deliver_due")
    assert (job.enabled, job.interval.every, job.interval.period) == (True, 1, "minutes")
