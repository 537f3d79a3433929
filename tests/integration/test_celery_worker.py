"""Integration: a real Celery worker recomputes KPIs from a task sent through Redis; the beat schedule;
concurrent recomputations on PostgreSQL."""

import os
import secrets
import signal
import subprocess
import sys
import threading
import time
import uuid
from datetime import date, timedelta
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
import redis
from celery import Celery
from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.db.models import Count
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from cxportal.celery import app as celery_app
from cxportal.schedule import PERIODIC_JOBS
from metrics import selectors
from metrics.models import KpiSnapshot, RecomputeRun
from metrics.services import snapshots_recompute
from surveys.models import Question
from tests.journeys.factories import TouchpointFactory
from tests.metrics.factories import add_scored_days, snapshot_rows
from tests.surveys.factories import QuestionFactory, SurveyFactory

BASE_DIR = Path(settings.BASE_DIR)
BERLIN = ZoneInfo("Europe/Berlin")
WORKER_TIMEOUT = 60
UNIQUE_KEY = ("kpi", "scope_type", "scope_key", "bucket", "period_start")
# The product's queues (cxportal/settings.py, CELERY_TASK_ROUTES): a worker that should run whatever a task
# queues in turn (a dispatch queues its sends on "mail") must consume all of them, or the test waits forever.
ALL_QUEUES = ",".join(settings.CX_CELERY_QUEUES)


def celery_command() -> list[str]:
    executable = Path(sys.executable).with_name("celery")
    return [str(executable)] if executable.exists() else [sys.executable, "-m", "celery"]


def worker_command(queues: str, node: str) -> list[str]:
    """``celery -A cxportal worker`` for ``queues`` only: one process named ``node``, no chatter with other workers."""
    return [
        *celery_command(),
        "-A",
        "cxportal",
        "worker",
        "--pool=solo",
        "--concurrency=1",
        "-Q",
        queues,
        "-n",
        node,
        "--without-heartbeat",
        "--without-gossip",
        "--without-mingle",
        "-l",
        "info",
    ]


def worker_env(*, database_url: str, broker_url: str, var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="cxportal.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(48),
        DATABASE_URL=database_url,
        CONN_MAX_AGE="0",  # no connection outlives a task: pytest-django drops the test database at the end
        CELERY_BROKER_URL=broker_url,
        CELERY_TASK_ALWAYS_EAGER="false",
        CXPORTAL_VAR_DIR=str(var_dir),
    )
    return env


def stop(worker: subprocess.Popen, timeout: float = 30) -> int:
    """Warm shutdown (SIGTERM: finish the current task, then exit)."""
    worker.send_signal(signal.SIGTERM)
    return worker.wait(timeout=timeout)


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_worker_recomputes_snapshots_from_a_task_sent_through_redis(postgresql_url, redis_url, tmp_path):
    question = QuestionFactory(kind=Question.Kind.NPS)
    add_scored_days(
        question, [(10, date(2026, 3, 2)), (9, date(2026, 3, 3)), (8, date(2026, 3, 4)), (0, date(2026, 3, 5))]
    )
    assert not KpiSnapshot.objects.exists()
    queue = f"cxportal-test-{uuid.uuid4().hex}"
    log_path = tmp_path / "worker.log"
    with log_path.open("wb") as log:
        worker = subprocess.Popen(
            worker_command(queue, f"{queue}@%h"),
            cwd=BASE_DIR,
            env=worker_env(database_url=postgresql_url, broker_url=redis_url, var_dir=tmp_path / "var"),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    # A Celery app of the test's own, with an explicit connection: the project app is eager in tests, and any
    # app's configured broker gives way to the CELERY_BROKER_URL environment variable (the settings' broker).
    sender = Celery("cxportal-test-sender", set_as_current=False)
    try:
        with sender.connection_for_write(redis_url) as broker:
            assert (broker.hostname, str(broker.virtual_host)) == (
                urlsplit(redis_url).hostname,
                urlsplit(redis_url).path.lstrip("/"),
            )
            sender.send_task("metrics.recompute_all", queue=queue, connection=broker)

        deadline = time.monotonic() + WORKER_TIMEOUT
        while not RecomputeRun.objects.filter(finished_at__isnull=False).exists():
            if worker.poll() is not None:
                pytest.fail(f"the worker exited with {worker.returncode}:\n{log_path.read_text()}")
            if time.monotonic() > deadline:
                pytest.fail(f"no snapshots after {WORKER_TIMEOUT} s; worker log:\n{log_path.read_text()}")
            time.sleep(0.2)

        run = RecomputeRun.objects.get()
        assert run.kind == RecomputeRun.Kind.FULL
        assert run.snapshots_written == KpiSnapshot.objects.count() > 0
        total = selectors.kpi_series(kpi="nps", date_from=date(2026, 3, 1), date_to=date(2026, 3, 31))["total"]
        assert (total.n, total.value) == (4, 25.0)  # P 2, D 1 of 4

        assert stop(worker) == 0, log_path.read_text()
        log_text = log_path.read_text()
        assert "metrics.recompute_all" in log_text
        assert "succeeded" in log_text
    finally:
        sender.close()
        if worker.poll() is None:
            worker.kill()
            worker.wait(timeout=10)
        client = redis.Redis.from_url(redis_url)
        client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
        client.close()


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_concurrent_recomputes_both_succeed_and_leave_the_snapshots_of_one_run(postgresql_url):
    for i in range(3):
        question = QuestionFactory(survey=SurveyFactory(touchpoint=TouchpointFactory()), kind=Question.Kind.NPS)
        add_scored_days(question, [((i + d) % 11, date(2026, 1, 1) + timedelta(days=d)) for d in range(120)])
    start = threading.Barrier(2)
    runs: list[RecomputeRun] = []
    errors: list[Exception] = []

    def recompute() -> None:
        try:
            start.wait(timeout=10)
            runs.append(snapshots_recompute())
        except Exception as exc:  # reported by the main thread, below
            errors.append(exc)
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=recompute) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not any(t.is_alive() for t in threads)
    assert errors == []
    assert len(runs) == 2
    first, second = sorted(runs, key=lambda r: r.started_at)
    # The advisory lock serialises them: the second starts computing only after the first finished.
    assert second.started_at >= first.finished_at
    assert first.snapshots_written == second.snapshots_written == KpiSnapshot.objects.count()
    duplicates = KpiSnapshot.objects.values(*UNIQUE_KEY).annotate(c=Count("id")).filter(c__gt=1)
    assert not duplicates.exists()
    assert RecomputeRun.objects.count() == 2
    # Exactly what one run on its own writes: nothing missing, nothing extra.
    concurrent = snapshot_rows()
    KpiSnapshot.objects.all().delete()
    snapshots_recompute()
    assert snapshot_rows() == concurrent


# --- The beat schedule ------------------------------------------------------------------------------

SCHEDULED = {
    "metrics.recompute_changed",
    "metrics.recompute_all",
    "actionplans.send_daily_digest",
    "webhooks.purge_deliveries",
}


def schedule_state() -> dict:
    return {
        "tasks": sorted(PeriodicTask.objects.values_list("name", "task", "enabled", "interval_id", "crontab_id")),
        "intervals": IntervalSchedule.objects.count(),
        "crontabs": CrontabSchedule.objects.count(),
    }


@pytest.mark.django_db
class TestBeatSchedule:
    def test_migration_registers_the_periodic_jobs(self):
        tasks = set(PeriodicTask.objects.filter(enabled=True).values_list("task", flat=True))

        assert tasks >= SCHEDULED
        changed = PeriodicTask.objects.get(task="metrics.recompute_changed")
        assert (changed.interval.every, changed.interval.period) == (1, IntervalSchedule.MINUTES)
        nightly = PeriodicTask.objects.get(task="metrics.recompute_all")
        assert (nightly.crontab.minute, nightly.crontab.hour) == ("30", "2")
        assert str(nightly.crontab.timezone) == settings.TIME_ZONE
        digest = PeriodicTask.objects.get(task="actionplans.send_daily_digest")
        assert (digest.crontab.minute, digest.crontab.hour) == ("0", "7")

    def test_every_scheduled_task_exists_in_the_celery_app(self):
        celery_app.loader.import_default_modules()

        for _name, task, _kind, _spec in PERIODIC_JOBS:
            assert task in celery_app.tasks, f"beat would send {task!r}, which no worker knows"

    def test_register_schedule_is_idempotent(self):
        before = schedule_state()

        call_command("register_schedule", stdout=StringIO())
        call_command("register_schedule", stdout=StringIO())

        assert schedule_state() == before
        names = PeriodicTask.objects.values("name").annotate(c=Count("id")).filter(c__gt=1)
        assert not names.exists()
        for task in SCHEDULED:
            assert PeriodicTask.objects.filter(task=task).count() == 1

    def test_register_schedule_restores_a_changed_job(self):
        PeriodicTask.objects.filter(task="metrics.recompute_all").update(enabled=False)
        before = PeriodicTask.objects.count()

        out = StringIO()
        call_command("register_schedule", stdout=out)

        assert PeriodicTask.objects.get(task="metrics.recompute_all").enabled
        assert PeriodicTask.objects.count() == before
        assert "metrics.recompute_all" in out.getvalue()
