"""Redis (the broker) is down when a scheduled report falls due: the report goes out after Redis returns, to
each recipient once, with its PDF.

The database decides what is due (``reports.send_due``, run by beat): while the broker is down beat cannot
queue the run and nothing is recorded; the first run after Redis is back records one send per recipient and
period (unique) and mails it; the runs after it find nothing more to send.
"""

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from reports.models import ReportDefinition, ReportSend
from tests.integration.smtp_sink import SmtpSink
from tests.reliability.processes import Celery, run_only_every_second
from tests.reliability.test_broker_outage import log

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

RUN = "Task reports.send_due"
RECIPIENTS = ["board@example.com", "cfo@example.com", "lead@example.com"]


def send_due_runs(worker) -> int:
    return sum(1 for line in log(worker).splitlines() if RUN in line and "succeeded" in line)


def test_a_report_due_while_redis_is_down_is_sent_once_to_each_recipient_after_it_returns(
    postgresql_url, own_redis, tmp_path
):
    run_only_every_second("reports.send_due")
    with SmtpSink() as sink:
        celery = Celery(tmp_path=tmp_path, database_url=postgresql_url, broker_url=own_redis.url, EMAIL_URL=sink.url)
        try:
            worker = celery.worker(name="report-outage")
            beat = celery.beat()
            celery.wait_for(lambda: send_due_runs(worker) >= 1, "beat and the worker to run reports.send_due")

            own_redis.stop()
            # Defined weeks ago: its latest weekly due moment has passed, so it is due now, in the outage.
            report = ReportDefinition.objects.create(
                name="Weekly board report", sections=["kpi_summary"], rhythm="weekly", language="en"
            )
            ReportDefinition.objects.filter(pk=report.pk).update(created_at=timezone.now() - timedelta(days=30))
            for address in RECIPIENTS:
                report.recipients.create(email=address)
            failed = log(beat).count("Message Error")
            celery.wait_for(lambda: log(beat).count("Message Error") >= failed + 2, "beat to fail two sends")
            assert beat.poll() is None and worker.poll() is None, "beat and the worker ride the outage out"
            assert not ReportSend.objects.exists(), "nothing is recorded without the broker"
            assert sink.handler.recipient_count() == 0

            own_redis.start()
            celery.wait_for(
                lambda: ReportSend.objects.filter(status=ReportSend.Status.SENT).count() == len(RECIPIENTS),
                "the due report to go out after Redis is back",
            )
            runs = send_due_runs(worker)
            celery.wait_for(lambda: send_due_runs(worker) >= runs + 3, "three more runs (nothing more goes out)")
            received = sink.handler.snapshot()
        finally:
            celery.close()

    per_recipient = Counter(r for m in received for r in m.recipients)
    assert per_recipient == Counter(RECIPIENTS), "each recipient once, nobody twice"
    assert ReportSend.objects.count() == len(RECIPIENTS)
    assert all(send.pdf and bytes(send.pdf).startswith(b"%PDF") for send in ReportSend.objects.all())
