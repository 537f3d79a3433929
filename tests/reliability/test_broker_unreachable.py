"""With the broker unreachable, queueing fails where it is called: nothing rolls back, nothing waits longer than
the next dispatch run. (No servers needed; the end-to-end outage is in test_broker_outage.py.)"""

from unittest import mock

import pytest
from kombu.exceptions import OperationalError

from surveys import tasks
from surveys.models import Campaign, Invitation
from surveys.services import distribution, survey_create_nps
from tests.journeys.factories import CustomerFactory, TouchpointFactory

pytestmark = pytest.mark.django_db(transaction=True)

BROKER_DOWN = OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def test_campaign_scheduled_while_the_broker_is_down_is_stored_and_sent_by_the_next_dispatch_runs(caplog):
    CustomerFactory.create_batch(3)
    survey = survey_create_nps(title="Down", touchpoint=TouchpointFactory())

    with (
        mock.patch.object(tasks.dispatch_due_campaigns, "delay", side_effect=BROKER_DOWN),
        mock.patch.object(tasks.send_invitations, "delay", side_effect=BROKER_DOWN),
    ):
        campaign = distribution.campaign_schedule(survey=survey, name="Down")
        assert distribution.campaigns_dispatch_due()["queued"] == 3

    assert "Could not queue campaign dispatch" in caplog.text
    assert "the next dispatch run queues them" in caplog.text
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.SENDING
    # Not marked queued: the next run queues them at once, not REQUEUE_AFTER later.
    assert list(Invitation.objects.values_list("status", "queued_at")) == [(Invitation.Status.PENDING, None)] * 3

    with mock.patch.object(tasks.send_invitations, "delay") as send:
        assert distribution.campaigns_dispatch_due()["queued"] == 3
    send.assert_called_once()
    assert Invitation.objects.filter(queued_at__isnull=False).count() == 3


def test_transactional_invitation_while_the_broker_is_down_is_queued_by_the_next_dispatch_run():
    survey = survey_create_nps(title="Now", touchpoint=TouchpointFactory())
    customer = CustomerFactory()

    with mock.patch.object(tasks.send_invitations, "delay", side_effect=BROKER_DOWN):
        invitation = distribution.invitation_send_now(survey=survey, customer=customer)

    invitation.refresh_from_db()
    assert (invitation.status, invitation.queued_at) == (Invitation.Status.PENDING, None)
    with mock.patch.object(tasks.send_invitations, "delay") as send:
        assert distribution.campaigns_dispatch_due()["queued"] == 1
    send.assert_called_once_with([invitation.pk])
