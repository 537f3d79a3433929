"""Redis (the broker) is stopped while a campaign falls due, and restarted later: the campaign goes out then, once.

The database says what is due. Scheduling commits although the broker is unreachable (the immediate kick is
logged and dropped); beat keeps running and logs each send it cannot make; once Redis is back, the next
dispatch turns the campaign into invitations and sends each one once.
"""

import subprocess
import sys
from collections import Counter

import pytest
from django.conf import settings

from journeys.models import Customer
from surveys.models import Campaign, Invitation
from surveys.services import survey_create_nps
from tests.integration.smtp_sink import SmtpSink
from tests.journeys.factories import TouchpointFactory
from tests.reliability.processes import Celery, run_only_every_second

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

AUDIENCE = 100
DISPATCHED = "Task surveys.dispatch_due_campaigns"
SCHEDULE = """
from surveys.services import distribution
from surveys.models import Survey
campaign = distribution.campaign_schedule(survey=Survey.objects.get(pk={survey}), name="Scheduled in the outage")
print("scheduled", campaign.pk)
"""


def log(process) -> str:
    return process.log_path.read_text(errors="replace") if process.log_path.exists() else ""


def dispatch_runs(worker) -> int:
    return sum(1 for line in log(worker).splitlines() if DISPATCHED in line and "succeeded" in line)


def test_campaign_due_while_redis_is_down_goes_out_once_after_it_returns(postgresql_url, own_redis, tmp_path):
    customers = Customer.objects.bulk_create(
        Customer(external_id=f"R-{i}", email=f"r{i}@example.com") for i in range(AUDIENCE)
    )
    survey = survey_create_nps(title="Outage", touchpoint=TouchpointFactory(), language="en")
    run_only_every_second("surveys.dispatch_due_campaigns")
    with SmtpSink() as sink:
        celery = Celery(tmp_path=tmp_path, database_url=postgresql_url, broker_url=own_redis.url, EMAIL_URL=sink.url)
        try:
            worker = celery.worker(name="outage")
            beat = celery.beat()
            celery.wait_for(lambda: dispatch_runs(worker) >= 1, "beat and the worker to run a dispatch")

            own_redis.stop()
            # As in a web request: the campaign is stored although its immediate dispatch cannot be queued.
            scheduled = subprocess.run(
                [sys.executable, "manage.py", "shell", "-c", SCHEDULE.format(survey=survey.pk)],
                cwd=settings.BASE_DIR,
                env=celery.env,
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert scheduled.returncode == 0, scheduled.stderr
            assert "Could not queue campaign dispatch" in scheduled.stderr
            campaign = Campaign.objects.get()
            assert campaign.status == Campaign.Status.SCHEDULED

            failed = log(beat).count("Message Error")
            celery.wait_for(lambda: log(beat).count("Message Error") >= failed + 2, "beat to fail two sends")
            assert beat.poll() is None and worker.poll() is None, "beat and the worker ride the outage out"
            assert not Invitation.objects.exists()
            assert sink.handler.recipient_count() == 0

            own_redis.start()
            celery.wait_for(
                lambda: Campaign.objects.get().status == Campaign.Status.SENT, "the campaign to go out after Redis"
            )
            runs = dispatch_runs(worker)
            celery.wait_for(
                lambda: dispatch_runs(worker) >= runs + 3, "three more dispatch runs (nothing more goes out)"
            )
            received = sink.handler.snapshot()
        finally:
            celery.close()

    per_recipient = Counter(r for m in received for r in m.recipients)
    assert per_recipient == Counter(c.email for c in customers), "everyone once, nobody twice"
    assert Invitation.objects.filter(status=Invitation.Status.SENT).count() == AUDIENCE
