"""Invitation e-mails rendered ahead of the sender (issue 17, P4): same messages, same order, same bookkeeping."""

from unittest import mock

import pytest
from django.core import mail

from surveys.models import Invitation
from surveys.services import distribution, sending
from tests.journeys.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def _queued(survey, customers: int) -> list[int]:
    CustomerFactory.create_batch(customers)
    distribution.campaign_schedule(survey=survey, name="Ahead")
    with mock.patch.object(distribution, "_queue_chunk"):
        distribution.campaigns_dispatch_due()
    return list(Invitation.objects.order_by("pk").values_list("pk", flat=True))


def test_a_chunk_sends_every_invitation_once_in_order_with_its_own_link(survey):
    ids = _queued(survey, 5)

    assert distribution.invitations_send(invitation_ids=ids) == {"sent": 5, "failed": 0, "skipped": 0}

    invitations = {i.customer.email: i for i in Invitation.objects.select_related("customer")}
    assert [m.to[0] for m in mail.outbox] == [Invitation.objects.get(pk=pk).customer.email for pk in ids]
    for message in mail.outbox:
        assert f"/s/i/{invitations[message.to[0]].token}/" in message.body
    assert set(Invitation.objects.values_list("status", flat=True)) == {Invitation.Status.SENT}


def test_a_message_that_cannot_be_rendered_stops_the_chunk_and_loses_nothing(survey):
    ids = _queued(survey, 4)
    real = distribution.invitation_message

    def render(*, invitation, **kwargs):
        if invitation.pk == ids[2]:
            raise RuntimeError("template broken")
        return real(invitation=invitation, **kwargs)

    with mock.patch.object(distribution, "invitation_message", side_effect=render), pytest.raises(RuntimeError):
        distribution.invitations_send(invitation_ids=ids)

    status = dict(Invitation.objects.values_list("pk", "status"))
    assert len(mail.outbox) == 2
    assert [status[pk] for pk in ids] == [
        Invitation.Status.SENT,
        Invitation.Status.SENT,
        Invitation.Status.SENDING,  # stays claimed: a retry after the claim timeout, as before
        Invitation.Status.PENDING,  # given back for the retry
    ]


def test_render_ahead_stops_its_thread_when_the_sender_gives_up():
    rendered = []

    def render(key):
        rendered.append(key)
        return mail.EmailMessage(subject=str(key), body="", to=["a@example.com"])

    ahead = sending.RenderAhead(list(range(1000)), render, wire=False, ahead=4)
    first = next(iter(ahead))
    ahead.close()

    assert first[0] == 0
    assert not ahead._thread.is_alive()
    assert len(rendered) < 1000
