"""Fatigue rules, reminders to non-responders, and the transactional trigger for integrators."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from surveys.models import Campaign, Invitation
from surveys.services import distribution, response_submit, survey_create_nps
from tests.journeys.factories import CustomerFactory, TouchpointFactory

pytestmark = pytest.mark.django_db


def _dispatch(now=None):
    distribution.campaigns_dispatch_due(now=now)
    distribution.campaigns_dispatch_due(now=now)


def _age_invitations(days: int) -> None:
    """Pretend the invitations went out ``days`` ago."""
    then = timezone.now() - timedelta(days=days)
    Invitation.objects.exclude(last_sent_at=None).update(sent_at=then, last_sent_at=then)


class TestQuietPeriod:
    def test_a_customer_invited_recently_is_suppressed_with_the_reason(self, survey, settings):
        settings.CX_QUIET_PERIOD_DAYS = 14
        customer = CustomerFactory()
        distribution.campaign_schedule(survey=survey, name="First")
        _dispatch()
        other = survey_create_nps(title="Other survey", touchpoint=TouchpointFactory())
        second = distribution.campaign_schedule(survey=other, name="Second")
        _dispatch()

        assert len(mail.outbox) == 1
        invitation = second.invitations.get(customer=customer)
        assert invitation.status == Invitation.Status.SUPPRESSED
        assert "quiet period" in invitation.error

    def test_after_the_quiet_period_the_customer_is_invited_again(self, survey, settings):
        settings.CX_QUIET_PERIOD_DAYS = 14
        CustomerFactory()
        distribution.campaign_schedule(survey=survey, name="First")
        _dispatch()
        _age_invitations(15)
        distribution.campaign_schedule(survey=survey, name="Second")
        _dispatch()

        assert len(mail.outbox) == 2


class TestReminders:
    def _campaign(self, survey, **kwargs):
        campaign = distribution.campaign_schedule(survey=survey, name="With reminders", **kwargs)
        _dispatch()
        return campaign

    def test_reminder_goes_only_to_non_responders_after_n_days(self, survey):
        answered, silent = CustomerFactory(), CustomerFactory()
        campaign = self._campaign(survey, reminder_after_days=3, max_reminders=2)
        invitation = campaign.invitations.get(customer=answered)
        nps = survey.questions.get(kind="nps")
        response_submit(survey=survey, answers=[{"question": nps.pk, "value": 9}], invitation=invitation)
        mail.outbox.clear()

        _dispatch()  # too early: nothing
        assert mail.outbox == []

        _age_invitations(4)
        _dispatch()

        assert [m.to[0] for m in mail.outbox] == [silent.email]
        assert mail.outbox[0].subject.startswith("Reminder:")
        reminded = campaign.invitations.get(customer=silent)
        assert reminded.reminders_sent == 1
        assert reminded.status == Invitation.Status.SENT

    def test_at_most_m_reminders(self, survey):
        CustomerFactory()
        campaign = self._campaign(survey, reminder_after_days=1, max_reminders=2)
        for _ in range(4):
            _age_invitations(2)
            _dispatch()

        assert len(mail.outbox) == 3  # the invitation and two reminders
        assert campaign.invitations.get().reminders_sent == 2
        campaign.refresh_from_db()
        assert campaign.status == Campaign.Status.SENT

    def test_no_reminder_after_unsubscribing(self, survey):
        customer = CustomerFactory()
        self._campaign(survey, reminder_after_days=1, max_reminders=1)
        customer.unsubscribed_at = timezone.now()
        customer.save(update_fields=["unsubscribed_at"])
        _age_invitations(2)
        mail.outbox.clear()

        _dispatch()

        assert mail.outbox == []

    def test_reminders_need_a_delay(self, survey):
        with pytest.raises(distribution.ValidationError):
            distribution.campaign_schedule(survey=survey, name="Bad", max_reminders=2)
        assert not Campaign.objects.exists()


class TestTransactionalTrigger:
    def test_post_invitation_sends_one_survey_now(self, api_client, survey, django_capture_on_commit_callbacks):
        customer = CustomerFactory()
        with django_capture_on_commit_callbacks(execute=True):
            response = api_client.post(
                "/api/v1/invitations/", {"survey": survey.pk, "customer": customer.pk}, format="json"
            )

        assert response.status_code == 201, response.content
        assert response.json()["status"] == "pending"
        assert [m.to[0] for m in mail.outbox] == [customer.email]
        invitation = Invitation.objects.get()
        assert invitation.status == Invitation.Status.SENT
        assert reverse("respondent:invitation", args=[invitation.token]) in mail.outbox[0].body

    def test_the_same_customer_can_be_asked_again_after_the_quiet_period(
        self, api_client, survey, settings, django_capture_on_commit_callbacks
    ):
        settings.CX_QUIET_PERIOD_DAYS = 7
        customer = CustomerFactory()
        body = {"survey": survey.pk, "customer": customer.pk}
        with django_capture_on_commit_callbacks(execute=True):
            api_client.post("/api/v1/invitations/", body, format="json")
            again = api_client.post("/api/v1/invitations/", body, format="json")
        assert again.json()["status"] == "suppressed"
        assert "quiet period" in again.json()["error"]

        _age_invitations(8)
        with django_capture_on_commit_callbacks(execute=True):
            later = api_client.post("/api/v1/invitations/", body, format="json")
        assert later.json()["status"] == "pending"
        assert len(mail.outbox) == 2

    def test_unsubscribed_customer_is_suppressed_not_mailed(self, api_client, survey):
        customer = CustomerFactory(unsubscribed_at=timezone.now())
        response = api_client.post(
            "/api/v1/invitations/", {"survey": survey.pk, "customer": customer.pk}, format="json"
        )
        assert response.status_code == 201
        assert response.json()["status"] == "suppressed"
        assert mail.outbox == []

    def test_unknown_customer_or_closed_survey_is_a_400_and_stores_nothing(self, api_client, survey):
        customer = CustomerFactory()
        unknown = api_client.post("/api/v1/invitations/", {"survey": survey.pk, "customer": 999999}, format="json")
        assert unknown.status_code == 400
        assert "customer" in unknown.json()

        survey.is_active = False
        survey.save(update_fields=["is_active"])
        closed = api_client.post("/api/v1/invitations/", {"survey": survey.pk, "customer": customer.pk}, format="json")
        assert closed.status_code == 400
        assert "survey" in closed.json()
        assert not Invitation.objects.exists()
        assert not Campaign.objects.exists()

    def test_transactional_campaigns_stay_out_of_the_campaign_table(self, client, manager, survey):
        distribution.invitation_send_now(survey=survey, customer=CustomerFactory())
        client.force_login(manager)
        page = client.get(reverse("surveys:survey_detail", args=[survey.pk])).content.decode()
        assert "Transactional:" not in page

    def test_a_sent_transactional_campaign_is_closed_without_a_campaign_webhook(
        self, survey, django_capture_on_commit_callbacks
    ):
        from cxportal.webhooks.models import WebhookDelivery, WebhookSubscription

        WebhookSubscription.objects.create(
            name="CRM", url="https://crm.example.com/hook", secret="s" * 64, events=["campaign.completed"]
        )
        with django_capture_on_commit_callbacks(execute=True):
            invitation = distribution.invitation_send_now(survey=survey, customer=CustomerFactory())
        invitation.refresh_from_db()
        assert invitation.status == Invitation.Status.SENT

        _dispatch()

        assert Campaign.objects.get(pk=invitation.campaign_id).status == Campaign.Status.SENT
        assert not WebhookDelivery.objects.exists()

    def test_key_without_surveys_write_cannot_trigger(self, api_client_for, survey):
        client = api_client_for(["surveys:read"])
        response = client.post("/api/v1/invitations/", {"survey": survey.pk, "customer": CustomerFactory().pk})
        assert response.status_code == 403


class TestSendRateAndStarted:
    def test_at_most_the_send_rate_is_queued_per_dispatch_run(self, survey, settings, monkeypatch):
        settings.CX_SEND_RATE_PER_MINUTE = 2
        queued: list[list[int]] = []
        monkeypatch.setattr(distribution, "_queue_chunk", lambda ids: queued.append(ids))
        CustomerFactory.create_batch(5)
        distribution.campaign_schedule(survey=survey, name="Throttled")

        distribution.campaigns_dispatch_due()
        assert sum(len(ids) for ids in queued) == 2
        distribution.campaigns_dispatch_due()
        assert sum(len(ids) for ids in queued) == 4
        assert Invitation.objects.filter(queued_at=None).count() == 1

    def test_opening_the_link_counts_as_started_once_and_uses_nothing_up(self, client, manager, survey):
        CustomerFactory.create_batch(2)
        campaign = distribution.campaign_schedule(survey=survey, name="Opened")
        _dispatch()
        invitation = campaign.invitations.first()
        url = reverse("respondent:invitation", args=[invitation.token])

        client.head(url)
        invitation.refresh_from_db()
        assert invitation.opened_at is None  # a link checker's HEAD is not a person starting

        client.get(url)
        invitation.refresh_from_db()
        first = invitation.opened_at
        assert first is not None
        client.get(url)
        invitation.refresh_from_db()
        assert invitation.opened_at == first
        assert invitation.status == Invitation.Status.SENT

        client.force_login(manager)
        page = client.get(reverse("surveys:campaign_detail", args=[campaign.pk])).content.decode()
        counts = page[page.index('id="campaign-counts"') :]
        assert '<th scope="col">Started</th>' in counts
        assert "<td>1</td>" in counts
