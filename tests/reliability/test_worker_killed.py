"""A worker SIGKILLed in the middle of a 2,000-invitation campaign, then restarted: every invitation is sent,
none is lost, and duplicates stay within the documented bound (at most ``distribution.MARK_SENT_EVERY`` per
crash: the invitations the SMTP server had accepted when the worker died, before their batch was marked sent).

The worker, its queue and the sink are those of the integration distribution test (tests/integration/
test_distribution_worker.py), which explains how the test queues through Redis and simulates time.
"""

from collections import Counter
from datetime import timedelta

import pytest
from django.db.models import F

from surveys.models import Campaign, Invitation
from surveys.services import distribution
from tests.integration.smtp_sink import SmtpSink
from tests.integration.test_distribution_worker import Distribution, make_customers, outstanding

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

AUDIENCE = 2000


def test_worker_killed_mid_campaign_of_2000_loses_nothing_and_duplicates_stay_within_the_bound(
    postgresql_url,
    redis_url,
    tmp_path,
    survey,
    no_kick,
    monkeypatch,
    settings,
):
    settings.CX_SEND_RATE_PER_MINUTE = AUDIENCE  # one dispatch queues the whole campaign
    people = make_customers(AUDIENCE)
    campaign = distribution.campaign_schedule(survey=survey, name="Crash")
    # The sink answers each message a few ms after it has it: the worker is usually mid-send when killed.
    with SmtpSink(delay=0.005) as sink:
        run = Distribution(postgresql_url=postgresql_url, redis_url=redis_url, tmp_path=tmp_path, sink=sink)
        try:
            first = run.start_worker()
            assert run.dispatch(monkeypatch)["queued"] == AUDIENCE
            run.wait_until(lambda: sink.handler.recipient_count() >= AUDIENCE // 2, "half of the e-mails")
            first.kill()  # SIGKILL: no warm shutdown, no ack, no cleanup
            first.wait(timeout=10)

            at_kill = Counter(Invitation.objects.values_list("status", flat=True))
            in_flight = at_kill["sending"]
            assert in_flight <= distribution.CHUNK_SIZE, "a solo worker claims one chunk at a time"
            # Up to MARK_SENT_EVERY accepted messages wait for their batch to be marked sent.
            assert at_kill["sent"] >= AUDIENCE // 2 - distribution.MARK_SENT_EVERY
            assert at_kill["sent"] + in_flight + at_kill["pending"] == AUDIENCE

            # CLAIM_TIMEOUT (and REQUEUE_AFTER) later: the dead worker's claim is stale, its chunk re-queued.
            aged = distribution.CLAIM_TIMEOUT + timedelta(minutes=1)
            Invitation.objects.filter(status="sending").update(claimed_at=F("claimed_at") - aged)
            Invitation.objects.exclude(queued_at=None).update(queued_at=F("queued_at") - aged)
            run.start_worker()
            run.dispatch(monkeypatch)
            run.wait_until(
                lambda: outstanding() == 0 and run.drained(), "every invitation to be sent after the restart"
            )
            received = sink.handler.snapshot()
            run.dispatch(monkeypatch)
        finally:
            run.close()

    per_recipient = Counter(r for m in received for r in m.recipients)
    assert set(per_recipient) == {c.email for c in people["reachable"]}, "none lost, nobody extra"
    duplicates = sum(n - 1 for n in per_recipient.values())
    bound = min(in_flight, distribution.MARK_SENT_EVERY)
    assert duplicates <= bound, f"{duplicates} duplicates, more than the bound of {bound} for one crash"
    assert Invitation.objects.filter(status="sent").count() == AUDIENCE
    assert {m.token for m in received} == set(Invitation.objects.filter(status="sent").values_list("token", flat=True))
    assert not {c.email for c in people["unsubscribed"]} & set(per_recipient)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENT
