"""Campaigns: who is invited, that each invitation is sent once, and what the respondent's link does."""

import smtplib
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cxportal.errors import ApplicationError
from surveys.models import Campaign, Invitation, Response
from surveys.services import distribution, survey_create_nps
from tests.journeys.factories import CustomerFactory, PersonaFactory, TouchpointFactory

pytestmark = pytest.mark.django_db


def _run_campaign(survey, **kwargs) -> Campaign:
    campaign = distribution.campaign_schedule(survey=survey, name="Pulse", **kwargs)
    distribution.campaigns_dispatch_due()  # creates invitations and sends them (eager Celery)
    distribution.campaigns_dispatch_due()  # notices that nothing is left and closes the campaign
    campaign.refresh_from_db()
    return campaign


def test_campaign_invites_each_contactable_customer_once_and_suppresses_the_rest(survey):
    reachable = CustomerFactory.create_batch(3)
    CustomerFactory(unsubscribed_at=timezone.now())
    CustomerFactory(do_not_contact=True)
    CustomerFactory(email="")

    campaign = _run_campaign(survey)

    assert campaign.status == Campaign.Status.SENT
    assert sorted(m.to[0] for m in mail.outbox) == sorted(c.email for c in reachable)
    statuses = sorted(campaign.invitations.values_list("status", flat=True))
    assert statuses == ["sent"] * 3 + ["suppressed"] * 3


def test_campaign_for_a_persona_invites_only_its_customers(survey):
    persona = PersonaFactory()
    mine = CustomerFactory(persona=persona)
    CustomerFactory()

    _run_campaign(survey, persona=persona)

    assert [m.to[0] for m in mail.outbox] == [mine.email]


def test_invitation_email_has_single_use_link_and_one_click_unsubscribe(survey):
    CustomerFactory(name="Muster AG", contact_name="Erika Muster")
    _run_campaign(survey)

    invitation = Invitation.objects.get()
    message = mail.outbox[0]
    assert reverse("respondent:invitation", args=[invitation.token]) in message.body
    unsubscribe = reverse("respondent:unsubscribe", args=[invitation.token])
    assert unsubscribe in message.body
    assert unsubscribe in message.extra_headers["List-Unsubscribe"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Erika Muster" in message.body
    assert len(invitation.token) >= 22  # ≥ 128 bits, URL-safe base64


def test_future_campaign_is_not_sent_before_it_is_due(survey):
    CustomerFactory()
    campaign = distribution.campaign_schedule(survey=survey, name="Later", send_at=timezone.now() + timedelta(hours=2))
    distribution.campaigns_dispatch_due()
    assert mail.outbox == []
    distribution.campaigns_dispatch_due(now=timezone.now() + timedelta(hours=3))
    campaign.refresh_from_db()
    assert campaign.status != Campaign.Status.SCHEDULED
    assert len(mail.outbox) == 1


def test_a_send_task_delivered_twice_sends_each_invitation_once(survey):
    CustomerFactory.create_batch(2)
    distribution.campaign_schedule(survey=survey, name="Twice")
    with mock.patch.object(distribution, "_queue_chunk"):
        distribution.campaigns_dispatch_due()
    ids = list(Invitation.objects.values_list("pk", flat=True))

    first = distribution.invitations_send(invitation_ids=ids)
    second = distribution.invitations_send(invitation_ids=ids)  # the broker redelivered the task

    assert first == {"sent": 2, "failed": 0, "skipped": 0}
    assert second == {"sent": 0, "failed": 0, "skipped": 2}
    assert len(mail.outbox) == 2


def test_repeated_dispatch_runs_invite_nobody_twice(survey):
    CustomerFactory.create_batch(2)
    _run_campaign(survey)
    distribution.campaigns_dispatch_due()
    assert Invitation.objects.count() == 2
    assert len(mail.outbox) == 2


def test_stale_sending_claim_is_sent_again_but_a_fresh_one_is_not(survey):
    CustomerFactory()
    campaign = distribution.campaign_schedule(survey=survey, name="Crash")
    with mock.patch.object(distribution, "_queue_chunk"):
        distribution.campaigns_dispatch_due()
    invitation = Invitation.objects.get()
    # A worker claimed it and died before marking it sent.
    Invitation.objects.filter(pk=invitation.pk).update(status="sending", claimed_at=timezone.now())
    assert distribution.invitations_send(invitation_ids=[invitation.pk])["skipped"] == 1

    Invitation.objects.filter(pk=invitation.pk).update(
        claimed_at=timezone.now() - distribution.CLAIM_TIMEOUT - timedelta(minutes=1)
    )
    distribution.campaigns_dispatch_due()  # re-queues the stale claim

    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.SENT
    assert len(mail.outbox) == 1
    campaign.refresh_from_db()
    assert campaign.status in (Campaign.Status.SENDING, Campaign.Status.SENT)


def test_transient_smtp_error_gives_the_invitation_back_for_a_retry(survey):
    CustomerFactory()
    distribution.campaign_schedule(survey=survey, name="Flaky")
    with mock.patch.object(distribution, "_queue_chunk"):
        distribution.campaigns_dispatch_due()
    invitation = Invitation.objects.get()
    error = smtplib.SMTPServerDisconnected("connection lost")
    with mock.patch("django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=error):
        with pytest.raises(distribution.TransientSendError):
            distribution.invitations_send(invitation_ids=[invitation.pk])
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING
    assert "connection lost" in invitation.error

    distribution.invitations_send(invitation_ids=[invitation.pk])
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.SENT


def test_permanent_smtp_error_marks_the_invitation_failed_with_the_reason(survey):
    CustomerFactory(email="nobody@invalid.example")
    distribution.campaign_schedule(survey=survey, name="Bounce")
    with mock.patch.object(distribution, "_queue_chunk"):
        distribution.campaigns_dispatch_due()
    invitation = Invitation.objects.get()
    refused = smtplib.SMTPRecipientsRefused({"nobody@invalid.example": (550, b"No such user")})
    with mock.patch("django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=refused):
        distribution.invitations_send(invitation_ids=[invitation.pk])
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.FAILED
    assert "No such user" in invitation.error


def test_opening_the_link_does_not_use_it_up_and_one_submit_does(client, survey):
    customer = CustomerFactory()
    _run_campaign(survey)
    invitation = Invitation.objects.get()
    url = reverse("respondent:invitation", args=[invitation.token])
    nps = survey.questions.get(kind="nps")

    assert client.get(url).status_code == 200
    assert client.head(url).status_code == 200
    assert client.get(url).status_code == 200
    assert Response.objects.count() == 0

    response = client.post(url, {f"q{nps.pk}": "8"})
    assert response.status_code == 302
    stored = Response.objects.get()
    assert stored.customer == customer
    assert stored.invitation == invitation
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.RESPONDED

    second = client.post(url, {f"q{nps.pk}": "2"})
    unknown = client.get(reverse("respondent:invitation", args=["x" * 32]))
    assert second.status_code == unknown.status_code == 404
    assert "already been used" in second.content.decode()
    assert second.content == unknown.content
    assert Response.objects.count() == 1


def test_invalid_answer_on_an_invitation_keeps_it_usable(client, survey):
    CustomerFactory()
    _run_campaign(survey)
    invitation = Invitation.objects.get()
    nps = survey.questions.get(kind="nps")
    url = reverse("respondent:invitation", args=[invitation.token])

    assert client.post(url, {f"q{nps.pk}": "11"}).status_code == 400
    assert Response.objects.count() == 0
    assert client.post(url, {f"q{nps.pk}": "10"}).status_code == 302


def test_one_click_unsubscribe_stops_later_campaigns(client, survey, settings):
    settings.CX_QUIET_PERIOD_DAYS = 0  # only the unsubscription may stop the second campaign
    customer = CustomerFactory()
    _run_campaign(survey)
    invitation = Invitation.objects.get()
    url = reverse("respondent:unsubscribe", args=[invitation.token])

    assert client.get(url).status_code == 200
    customer.refresh_from_db()
    assert customer.unsubscribed_at is None  # opening the link changes nothing

    assert client.post(url).status_code == 200  # no CSRF token: mail clients post directly
    customer.refresh_from_db()
    assert customer.unsubscribed_at is not None

    mail.outbox.clear()
    _run_campaign(survey)
    assert mail.outbox == []


def test_cancelled_campaign_sends_nothing_and_cannot_be_cancelled_twice(survey):
    CustomerFactory()
    campaign = distribution.campaign_schedule(survey=survey, name="Oops", send_at=timezone.now() + timedelta(days=1))
    distribution.campaign_cancel(campaign=campaign)
    distribution.campaigns_dispatch_due(now=timezone.now() + timedelta(days=2))
    assert mail.outbox == []
    with pytest.raises(ApplicationError):
        distribution.campaign_cancel(campaign=campaign)


def test_manager_schedules_a_campaign_and_sees_its_counts(client, manager, survey):
    CustomerFactory.create_batch(2)
    CustomerFactory(do_not_contact=True)
    client.force_login(manager)

    response = client.post(reverse("surveys:campaign_create", args=[survey.pk]), {"name": "March pulse"})
    assert response.status_code == 302
    distribution.campaigns_dispatch_due()

    page = client.get(reverse("surveys:survey_detail", args=[survey.pk])).content.decode()
    assert "March pulse" in page
    campaign = Campaign.objects.get()
    assert campaign.invitations.filter(status="sent").count() == 2
    assert campaign.invitations.filter(status="suppressed").count() == 1


def test_german_survey_sends_a_german_invitation():
    survey = survey_create_nps(title="NPS – Service intern", touchpoint=TouchpointFactory(), language="de")
    survey.public_title = "Service-Umfrage"  # respondents read the public title, never the internal one
    survey.save(update_fields=["public_title"])
    CustomerFactory(name="Schmidt Maschinenbau GmbH", contact_name="Jörg Schmidt")
    _run_campaign(survey)
    message = mail.outbox[0]
    assert message.subject == "Ihre Meinung zu Service-Umfrage"
    assert "Guten Tag Jörg Schmidt," in message.body
    assert "Abmelden" in message.body
