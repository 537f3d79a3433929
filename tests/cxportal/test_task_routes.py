"""Celery routes every task by purpose to a known queue, and whatever starts workers consumes all of them."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from cxportal.celery import app

BASE_DIR = Path(settings.BASE_DIR)
QUEUES = set(settings.CX_CELERY_QUEUES)


def queue_of(name: str) -> str:
    """The queue a task sent by name (``delay``, ``send_task``, beat) goes to."""
    return app.amqp.router.route({}, name)["queue"].name


def own_tasks() -> list[str]:
    app.loader.import_default_modules()
    return sorted(name for name in app.tasks if not name.startswith("celery."))


def test_the_queues_are_the_five_purposes():
    assert QUEUES == {"mail", "metrics", "voice", "webhooks", "default"}
    assert settings.CELERY_TASK_DEFAULT_QUEUE == "default"


def test_every_registered_task_is_routed_by_name_to_a_known_queue():
    tasks = own_tasks()
    assert "surveys.send_invitations" in tasks  # the app's tasks really are registered
    unrouted = [name for name in tasks if name not in settings.CELERY_TASK_ROUTES and not name.startswith("voice.")]
    assert not unrouted, f"add these tasks to CELERY_TASK_ROUTES (cxportal/settings.py): {unrouted}"
    assert {name: queue_of(name) for name in tasks if queue_of(name) not in QUEUES} == {}


@pytest.mark.parametrize(
    ("task", "queue"),
    [
        ("surveys.send_invitations", "mail"),
        ("surveys.dispatch_due_campaigns", "mail"),
        ("actionplans.send_daily_digest", "mail"),
        ("reports.send_due", "mail"),
        ("reports.send_now", "mail"),
        ("metrics.recompute_changed", "metrics"),
        ("metrics.recompute_all", "metrics"),
        ("webhooks.deliver", "webhooks"),
        ("webhooks.deliver_due", "webhooks"),
        ("webhooks.purge_deliveries", "webhooks"),
        ("actionplans.detractor_follow_up", "default"),
        ("actionplans.target_crossing_follow_up", "default"),
        ("cxportal.apply_retention", "default"),
        ("voice.analyse_feedback", "voice"),
        ("voice.ingest_survey_comments", "voice"),
        ("celery.backend_cleanup", "default"),  # Celery's own tasks: the default queue, not "celery"
    ],
)
def test_tasks_go_to_the_queue_of_their_purpose(task, queue):
    assert queue_of(task) == queue


def test_scheduled_jobs_go_to_known_queues():
    from cxportal.schedule import PERIODIC_JOBS

    assert {task: queue_of(task) for _name, task, _kind, _spec in PERIODIC_JOBS} == {
        "metrics.recompute_changed": "metrics",
        "surveys.dispatch_due_campaigns": "mail",
        "metrics.recompute_all": "metrics",
        "actionplans.send_daily_digest": "mail",
        "webhooks.deliver_due": "webhooks",
        "webhooks.purge_deliveries": "webhooks",
        "cxportal.apply_retention": "default",
        "reports.send_due": "mail",
        "decisions.train_churn_model": "metrics",
        "voice.rebuild_topics": "voice",
    }


def consumed_queues(text: str) -> list[set[str]]:
    return [set(match.split(",")) for match in re.findall(r"-Q\s+([\w,]+)", text)]


def test_make_run_starts_one_worker_consuming_every_queue():
    text = (BASE_DIR / "scripts" / "run.sh").read_text()
    assert consumed_queues(text) == [QUEUES]


def test_the_worker_unit_of_deploy_consumes_the_queue_it_is_started_for():
    unit = (BASE_DIR / "deploy" / "cxportal-worker@.service").read_text()
    assert re.search(r"-Q\s+%i\b", unit), "cxportal-worker@mail.service must consume the mail queue"
    environment = (BASE_DIR / "deploy" / "cxportal.env.example").read_text()
    assert "DATABASE_REPLICA_URL" in environment


def test_a_worker_started_without_queues_consumes_all_of_them():
    """``celery -A cxportal worker`` (as the README's one-machine production line) must not forget a queue."""
    assert set(app.amqp.queues.consume_from) == QUEUES


@pytest.mark.parametrize("task", ["surveys.send_invitations", "metrics.recompute_all", "webhooks.deliver"])
def test_a_message_reaches_its_queue_and_no_other(task):
    """Each queue is bound by its own routing key: a shared key would copy every message into every queue."""
    target = app.amqp.router.route({}, task)["queue"]
    bound = [
        q.name
        for q in app.amqp.queues.values()
        if (q.exchange.name, q.routing_key) == (target.exchange.name, target.routing_key)
    ]
    assert bound == [queue_of(task)]
