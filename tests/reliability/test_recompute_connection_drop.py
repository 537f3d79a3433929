"""The database connection of a worker is dropped in the middle of a KPI recomputation: the task retries and the
snapshots end complete, equal to those of a clean full recompute.

Deterministic, without sleeps: the test holds a row lock on a snapshot row the recomputation must rewrite (the
company's NPS for the quarter that got new answers), so the worker's run blocks inside its transaction, in the
middle of its snapshot writes. The test then terminates that worker's backend (found by the ``application_name``
the test gave it) and lets go of the row.
"""

import uuid
from datetime import date, timedelta

import psycopg
import pytest
from celery import Celery as CeleryApp

from metrics.models import KpiSnapshot, RecomputeRun
from metrics.services import snapshots_recompute
from surveys.models import Question
from tests.journeys.factories import TouchpointFactory
from tests.metrics.factories import add_scored_days, snapshot_rows
from tests.reliability.processes import Celery, forget_queue
from tests.surveys.factories import QuestionFactory, SurveyFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

BLOCKED_UPSERT = """
    SELECT pid FROM pg_stat_activity
    WHERE application_name = %s AND wait_event_type = 'Lock' AND query LIKE '%%metrics_kpisnapshot%%'
"""


def test_recompute_retries_after_its_database_connection_is_dropped_and_ends_complete(
    postgresql_url, redis_url, tmp_path
):
    questions = [
        QuestionFactory(survey=SurveyFactory(touchpoint=TouchpointFactory()), kind=kind)
        for kind in (Question.Kind.NPS, Question.Kind.CSAT, Question.Kind.CES, Question.Kind.NPS)
    ]
    scale = {Question.Kind.NPS: 11, Question.Kind.CSAT: 5, Question.Kind.CES: 7}
    for i, question in enumerate(questions):
        days = [date(2026, 1, 1) + timedelta(days=d) for d in range(150)]
        add_scored_days(
            question, [((i + d) % scale[question.kind] + (question.kind != "nps"), day) for d, day in enumerate(days)]
        )
    snapshots_recompute()
    # New answers since: the worker's run rewrites hundreds of snapshots, the company's NPS among them.
    add_scored_days(questions[0], [(0, date(2026, 1, 1) + timedelta(days=d)) for d in range(150)])
    locked = KpiSnapshot.objects.get(kpi="nps", scope_type="company", bucket="quarter", period_start=date(2026, 1, 1))

    application_name = f"cx-recompute-{uuid.uuid4().hex[:12]}"
    queue = f"cxportal-test-{uuid.uuid4().hex}"
    celery = Celery(
        tmp_path=tmp_path, database_url=f"{postgresql_url}?application_name={application_name}", broker_url=redis_url
    )
    sender = CeleryApp("cxportal-test-sender", set_as_current=False)
    try:
        with psycopg.connect(postgresql_url) as holder, psycopg.connect(postgresql_url, autocommit=True) as admin:
            holder.execute("SELECT 1 FROM metrics_kpisnapshot WHERE id = %s FOR UPDATE", [locked.pk])
            worker = celery.worker(name=queue, queues=queue)
            with sender.connection_for_write(redis_url) as broker:
                sender.send_task("metrics.recompute_all", queue=queue, connection=broker)

            blocked: list[int] = []
            celery.wait_for(
                lambda: blocked.extend(r[0] for r in admin.execute(BLOCKED_UPSERT, [application_name])) or blocked,
                "the worker's recomputation to reach the locked snapshot",
            )
            assert admin.execute("SELECT pg_terminate_backend(%s)", [blocked[0]]).fetchone()[0]
            holder.rollback()  # let go of the row: the retry must not wait for it

        celery.wait_for(lambda: RecomputeRun.objects.count() == 2, "the retried recomputation to finish")
        log = worker.log_path.read_text(errors="replace")
        assert "metrics.recompute_all" in log and "retry: Retry in" in log, log
        assert "terminating connection due to administrator command" in log
    finally:
        sender.close()
        celery.close()
        forget_queue(redis_url, queue)

    # Complete: exactly what a clean full recompute writes now, nothing from the aborted attempt.
    after_retry = snapshot_rows()
    KpiSnapshot.objects.all().delete()
    snapshots_recompute()
    assert snapshot_rows() == after_retry
