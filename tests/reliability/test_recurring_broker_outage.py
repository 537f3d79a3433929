"""Redis (the broker) is down when a recurring campaign's next run falls due: the run goes out after Redis
returns, as one campaign of the series, and every customer gets it once.

The series row in the database says what is due. While the broker is down beat cannot queue a dispatch, so
no run is created; the first dispatch after Redis is back creates the run (once, under the series' row lock
and the unique (series, run date)), and the dispatches after it find nothing more to create or send.
"""

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from journeys.models import Customer
from surveys.models import Campaign, CampaignSeries, Invitation
from surveys.services import survey_create_nps
from tests.integration.smtp_sink import SmtpSink
from tests.journeys.factories import TouchpointFactory
from tests.reliability.processes import Celery, run_only_every_second
from tests.reliability.test_broker_outage import dispatch_runs, log

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

AUDIENCE = 40


def test_a_run_due_while_redis_is_down_is_sent_once_after_it_returns(postgresql_url, own_redis, tmp_path):
    customers = Customer.objects.bulk_create(
        Customer(external_id=f"Q-{i}", email=f"q{i}@example.com") for i in range(AUDIENCE)
    )
    survey = survey_create_nps(title="Quarterly relationship NPS", touchpoint=TouchpointFactory(), language="en")
    # The series' first run went out a quarter ago (no invitations kept here); the second is not due yet.
    started = timezone.now() - timedelta(days=92)
    series = CampaignSeries.objects.create(
        survey=survey,
        name="Relationship NPS",
        every=3,
        unit=CampaignSeries.Unit.MONTH,
        starts_at=started,
        next_run_index=1,
        next_run_at=timezone.now() + timedelta(days=30),
    )
    run_only_every_second("surveys.dispatch_due_campaigns")
    with SmtpSink() as sink:
        celery = Celery(tmp_path=tmp_path, database_url=postgresql_url, broker_url=own_redis.url, EMAIL_URL=sink.url)
        try:
            worker = celery.worker(name="series-outage")
            beat = celery.beat()
            celery.wait_for(lambda: dispatch_runs(worker) >= 1, "beat and the worker to run a dispatch")

            own_redis.stop()
            CampaignSeries.objects.filter(pk=series.pk).update(next_run_at=timezone.now())  # due now, in the outage
            failed = log(beat).count("Message Error")
            celery.wait_for(lambda: log(beat).count("Message Error") >= failed + 2, "beat to fail two sends")
            assert beat.poll() is None and worker.poll() is None, "beat and the worker ride the outage out"
            assert not Campaign.objects.filter(series=series).exists(), "nothing is dispatched without the broker"
            assert sink.handler.recipient_count() == 0

            own_redis.start()
            celery.wait_for(
                lambda: Campaign.objects.filter(series=series, status=Campaign.Status.SENT).exists(),
                "the due run to go out after Redis is back",
            )
            runs = dispatch_runs(worker)
            celery.wait_for(
                lambda: dispatch_runs(worker) >= runs + 3, "three more dispatch runs (nothing more goes out)"
            )
            received = sink.handler.snapshot()
        finally:
            celery.close()

    assert Campaign.objects.filter(series=series).count() == 1, "one campaign for the run, not one per dispatch"
    per_recipient = Counter(r for m in received for r in m.recipients)
    assert per_recipient == Counter(c.email for c in customers), "everyone once, nobody twice"
    assert Invitation.objects.filter(status=Invitation.Status.SENT).count() == AUDIENCE
    series.refresh_from_db()
    assert series.next_run_index == 2 and series.next_run_at > timezone.now() + timedelta(days=60)
