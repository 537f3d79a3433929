"""Retention of the delivery log: finished deliveries are purged after WEBHOOKS_RETENTION_DAYS, in batches,
pending ones stay, and a once-only event is still never sent twice after its delivery row is gone."""

import importlib
import uuid
from datetime import date, timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actionplans import services as action_services
from cxportal.celery import app as celery_app
from cxportal.schedule import PERIODIC_JOBS
from cxportal.webhooks import retention, tasks
from cxportal.webhooks.models import WebhookDelivery, WebhookOnceEvent
from cxportal.webhooks.services import EVENT_NAMESPACE, webhook_emit
from tests.actionplans.factories import ActionFactory
from tests.cxportal.test_settings import production_env, run
from tests.webhooks.conftest import PUBLIC_URL

pytestmark = pytest.mark.django_db

SUCCEEDED, FAILED, PENDING = (WebhookDelivery.Status.SUCCEEDED, WebhookDelivery.Status.FAILED, "pending")


def delivery(subscription, status: str, *, last_attempt_days_ago: float | None, created_days_ago: float = 0, **extra):
    """A delivery row as the delivery services leave it, backdated."""
    now = timezone.now()
    row = WebhookDelivery.objects.create(
        subscription=subscription, event_type="action.done", event_id=uuid.uuid4(), payload={"data": {}}, status=status
    )
    created = now - timedelta(days=max(created_days_ago, last_attempt_days_ago or 0))
    last_attempt = None if last_attempt_days_ago is None else now - timedelta(days=last_attempt_days_ago)
    fields = {"created_at": created, "last_attempt_at": last_attempt, **extra}
    if status == SUCCEEDED:
        fields["delivered_at"] = last_attempt
    WebhookDelivery.objects.filter(pk=row.pk).update(**fields)
    return row.pk


def remaining() -> set[int]:
    return set(WebhookDelivery.objects.values_list("pk", flat=True))


@pytest.fixture
def subscription(subscribe):
    return subscribe(PUBLIC_URL, events=["action.done", "action.overdue", "campaign.completed"])


class TestPurge:
    def test_old_finished_deliveries_go_and_recent_or_unfinished_ones_stay(self, subscription):
        old_succeeded = delivery(subscription, SUCCEEDED, last_attempt_days_ago=31)
        old_failed = delivery(subscription, FAILED, last_attempt_days_ago=45, attempts=8)
        kept = {
            delivery(subscription, SUCCEEDED, last_attempt_days_ago=29),
            delivery(subscription, FAILED, last_attempt_days_ago=1, attempts=8),
            # Created long ago, redelivered the day before yesterday: its last attempt counts.
            delivery(subscription, SUCCEEDED, last_attempt_days_ago=2, created_days_ago=90),
            # Waiting (e.g. its subscription is inactive), never attempted or retrying: never purged.
            delivery(subscription, PENDING, last_attempt_days_ago=None, created_days_ago=60),
            delivery(subscription, PENDING, last_attempt_days_ago=40, attempts=3),
        }

        assert tasks.purge_deliveries() == 2  # the default retention: 30 days

        assert remaining() == kept
        assert old_succeeded not in remaining() and old_failed not in remaining()

    def test_the_retention_setting_decides(self, subscription, settings):
        week_old = delivery(subscription, SUCCEEDED, last_attempt_days_ago=8)
        settings.WEBHOOKS_RETENTION_DAYS = 7

        assert tasks.purge_deliveries() == 1
        assert week_old not in remaining()

    @pytest.mark.parametrize("days", [0, None])
    def test_retention_zero_keeps_everything(self, subscription, settings, days):
        settings.WEBHOOKS_RETENTION_DAYS = days
        rows = {delivery(subscription, status, last_attempt_days_ago=3650) for status in (SUCCEEDED, FAILED)}

        assert tasks.purge_deliveries() == 0
        assert retention.webhook_deliveries_purge(dry_run=True).total == 0
        assert remaining() == rows

    def test_more_rows_than_one_batch_all_go_in_bounded_batches(self, subscription):
        old = {delivery(subscription, SUCCEEDED, last_attempt_days_ago=40) for _ in range(7)}
        old |= {delivery(subscription, FAILED, last_attempt_days_ago=40) for _ in range(5)}
        recent = delivery(subscription, SUCCEEDED, last_attempt_days_ago=1)

        with CaptureQueriesContext(connection) as queries:
            result = retention.webhook_deliveries_purge(batch_size=3)

        assert (result.total, result.counts, result.complete) == (12, {"succeeded": 7, "failed": 5}, True)
        assert remaining() == {recent}
        deletes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("DELETE")]
        assert len(deletes) == 5  # succeeded 3 + 3 + 1, failed 3 + 2: one statement per batch
        assert not old & remaining()

    def test_a_spent_time_budget_stops_between_batches_and_the_task_queues_the_rest(self, subscription, monkeypatch):
        for _ in range(5):
            delivery(subscription, SUCCEEDED, last_attempt_days_ago=40)

        first = retention.webhook_deliveries_purge(batch_size=2, time_budget=timedelta(0))
        assert (first.total, first.complete) == (2, False)
        assert len(remaining()) == 3

        queued = []
        monkeypatch.setattr(retention, "PURGE_TIME_BUDGET", timedelta(0))
        monkeypatch.setattr(retention, "PURGE_BATCH", 2)
        monkeypatch.setattr(tasks.purge_deliveries, "delay", lambda: queued.append("again"))
        assert tasks.purge_deliveries() == 2
        assert queued == ["again"]

        monkeypatch.setattr(retention, "PURGE_TIME_BUDGET", timedelta(minutes=5))
        assert tasks.purge_deliveries() == 1
        assert queued == ["again"] and remaining() == set()

    def test_the_delivery_log_page_and_api_keep_working_after_a_purge(self, client, manager, api_client, subscription):
        delivery(subscription, SUCCEEDED, last_attempt_days_ago=31)
        kept = delivery(subscription, FAILED, last_attempt_days_ago=2)
        tasks.purge_deliveries()

        client.force_login(manager)
        page = client.get(reverse("webhooks:subscription_detail", args=[subscription.pk]))
        assert page.status_code == 200
        assert page.context["retention_days"] == 30
        assert "Deliveries are kept for 30 days after their last attempt" in page.content.decode()
        assert [d.pk for d in page.context["page"].object_list] == [kept]
        log = api_client.get(f"/api/v1/webhooks/{subscription.pk}/deliveries/").json()
        assert [d["id"] for d in log["results"]] == [kept]


class TestOnceOnlyEventsAfterAPurge:
    def test_the_overdue_sweep_does_not_send_an_action_overdue_again_after_its_delivery_was_purged(
        self, subscription, subscribe, sales
    ):
        late = ActionFactory(title="Fix the FAQ", department=sales, due_date=date(2026, 6, 1))
        action_services.reminders_send_daily_digest(today=date(2026, 6, 10))
        sent = WebhookDelivery.objects.get(event_type="action.overdue")
        WebhookDelivery.objects.filter(pk=sent.pk).update(
            status=SUCCEEDED, attempts=1, last_attempt_at=timezone.now() - timedelta(days=31)
        )

        assert tasks.purge_deliveries() == 1
        assert not WebhookDelivery.objects.exists()

        action_services.reminders_send_daily_digest(today=date(2026, 6, 11))  # the sweep, the next day
        assert not WebhookDelivery.objects.exists()
        assert webhook_emit(event_type="action.overdue", data={}, key=f"action:{late.pk}:due:2026-06-01") == []

        # Once per subscription: one that subscribed after the purge gets it, the first one still does not.
        newcomer = subscribe(PUBLIC_URL, events=["action.overdue"])
        action_services.reminders_send_daily_digest(today=date(2026, 6, 12))
        (resent,) = WebhookDelivery.objects.all()
        assert (resent.subscription, resent.event_id) == (newcomer, sent.event_id)

    def test_a_campaign_completed_stays_once_after_a_purge_and_a_failed_one_is_not_retried_by_emitting(
        self, subscription
    ):
        (done,) = webhook_emit(event_type="campaign.completed", data={"campaign": 5}, key="campaign:5")
        WebhookDelivery.objects.filter(pk=done.pk).update(
            status=FAILED, attempts=8, last_attempt_at=timezone.now() - timedelta(days=60)
        )
        retention.webhook_deliveries_purge()

        assert webhook_emit(event_type="campaign.completed", data={"campaign": 5}, key="campaign:5") == []
        assert not WebhookDelivery.objects.exists()
        record = WebhookOnceEvent.objects.get()
        assert (record.subscription, record.event_id, record.event_type) == (
            subscription,
            done.event_id,
            "campaign.completed",
        )

    def test_events_without_a_key_leave_no_once_record(self, subscription):
        webhook_emit(event_type="action.done", data={})
        assert not WebhookOnceEvent.objects.exists()

    def test_the_migration_records_the_once_only_events_delivered_before_it(self, subscription, subscribe):
        other = subscribe(PUBLIC_URL, events=["campaign.completed"], name="Other")
        once_id = uuid.uuid5(EVENT_NAMESPACE, "campaign.completed:campaign:7")
        for receiver in (subscription, other):
            WebhookDelivery.objects.create(
                subscription=receiver, event_type="campaign.completed", event_id=once_id, payload={}
            )
        WebhookDelivery.objects.create(subscription=subscription, event_type="ping", event_id=uuid.uuid4(), payload={})
        delivery(subscription, SUCCEEDED, last_attempt_days_ago=1)
        migration = importlib.import_module("cxportal.webhooks.migrations.0003_once_events")

        migration.record_once_events_sent_so_far(apps, None)
        migration.record_once_events_sent_so_far(apps, None)  # a second run adds nothing

        records = set(WebhookOnceEvent.objects.values_list("subscription_id", "event_id", "event_type"))
        assert records == {(s.pk, once_id, "campaign.completed") for s in (subscription, other)}
        WebhookDelivery.objects.all().delete()
        assert webhook_emit(event_type="campaign.completed", data={}, key="campaign:7") == []


class TestCommand:
    def test_dry_run_deletes_nothing_and_prints_the_count(self, subscription):
        rows = {delivery(subscription, SUCCEEDED, last_attempt_days_ago=31) for _ in range(3)}
        rows.add(delivery(subscription, FAILED, last_attempt_days_ago=31))
        rows.add(delivery(subscription, SUCCEEDED, last_attempt_days_ago=1))
        out = StringIO()

        call_command("purge_webhook_deliveries", "--dry-run", stdout=out)

        assert remaining() == rows
        text = out.getvalue()
        assert "Would delete 4 finished webhook deliveries" in text
        assert "3 succeeded, 1 failed" in text and "older than 30 days" in text and "nothing was deleted" in text

    def test_it_deletes_and_days_overrides_the_setting(self, subscription):
        recent = delivery(subscription, SUCCEEDED, last_attempt_days_ago=1)
        delivery(subscription, SUCCEEDED, last_attempt_days_ago=11)
        delivery(subscription, FAILED, last_attempt_days_ago=31)
        out = StringIO()

        call_command("purge_webhook_deliveries", "--days", "10", stdout=out)

        assert remaining() == {recent}
        assert "Deleted 2 finished webhook deliveries" in out.getvalue()
        assert "older than 10 days): 1 succeeded, 1 failed." in out.getvalue()

    def test_it_says_when_deliveries_are_kept_forever(self, subscription, settings):
        settings.WEBHOOKS_RETENTION_DAYS = 0
        row = delivery(subscription, SUCCEEDED, last_attempt_days_ago=365)
        out = StringIO()

        call_command("purge_webhook_deliveries", stdout=out)

        assert remaining() == {row}
        assert "kept forever" in out.getvalue()

    @pytest.mark.parametrize("days", ["0", "-3"])
    def test_days_must_be_positive(self, days):
        with pytest.raises(CommandError, match="at least 1"):
            call_command("purge_webhook_deliveries", "--days", days, stdout=StringIO())


class TestSchedule:
    def test_beat_purges_old_deliveries_daily(self, settings):
        from django_celery_beat.models import PeriodicTask

        job = PeriodicTask.objects.get(task="webhooks.purge_deliveries")
        cron = job.crontab
        assert (job.enabled, job.interval) == (True, None)
        assert (cron.minute, cron.hour, cron.day_of_week, cron.day_of_month, cron.month_of_year) == (
            "40",
            "3",
            "*",
            "*",
            "*",
        )
        assert str(cron.timezone) == settings.TIME_ZONE
        assert "webhooks.purge_deliveries" in {task for _name, task, _kind, _spec in PERIODIC_JOBS}
        celery_app.loader.import_default_modules()
        assert "webhooks.purge_deliveries" in celery_app.tasks


PRINT_RETENTION = "from django.conf import settings; print(settings.WEBHOOKS_RETENTION_DAYS)"


class TestSetting:
    @pytest.mark.parametrize(("value", "days"), [(None, 30), ("", 0), (" 90 ", 90), ("0", 0)])
    def test_retention_days_from_the_environment(self, tmp_path, value, days):
        env = production_env(tmp_path)
        env.pop("WEBHOOKS_RETENTION_DAYS", None)
        if value is not None:
            env["WEBHOOKS_RETENTION_DAYS"] = value

        result = run(["-c", PRINT_RETENTION], env)

        assert result.returncode == 0, result.stderr
        assert result.stdout.strip().splitlines()[-1] == str(days)

    @pytest.mark.parametrize("value", ["-1", "thirty", "1.5", "30d", "99999999999"])
    def test_nonsense_stops_the_start_with_a_clear_message(self, tmp_path, value):
        result = run(["-c", PRINT_RETENTION], production_env(tmp_path, WEBHOOKS_RETENTION_DAYS=value))

        assert result.returncode != 0
        assert "ImproperlyConfigured" in result.stderr
        assert "WEBHOOKS_RETENTION_DAYS must be a whole number of days from 0 to 36500" in result.stderr
        assert repr(value) in result.stderr
