"""The campaign page: counts, response rate, failures and suppressions with reasons, cancel."""

import smtplib
from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from surveys.models import Campaign, Invitation
from surveys.services import distribution, response_submit
from tests.journeys.factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(survey):
    """4 reachable (one refused by the mail server, one answered), 1 unsubscribed, 1 without e-mail."""
    customers = CustomerFactory.create_batch(4)
    CustomerFactory(unsubscribed_at=timezone.now())
    CustomerFactory(email="")
    campaign = distribution.campaign_schedule(
        survey=survey, name="Spring pulse", reminder_after_days=3, max_reminders=2
    )
    with mock.patch.object(distribution, "_queue_chunk"):
        distribution.campaigns_dispatch_due()
    refused = Invitation.objects.get(customer=customers[0])
    real_send = distribution.invitations_send

    def send(ids):
        with mock.patch("django.core.mail.backends.locmem.EmailBackend.send_messages") as send_messages:
            send_messages.side_effect = smtplib.SMTPRecipientsRefused({customers[0].email: (550, b"No such user")})
            real_send(invitation_ids=[refused.pk])
        real_send(invitation_ids=[i for i in ids if i != refused.pk])

    send(list(campaign.invitations.filter(status="pending").values_list("pk", flat=True)))
    answered = Invitation.objects.get(customer=customers[1])
    nps = survey.questions.get(kind="nps")
    response_submit(survey=survey, answers=[{"question": nps.pk, "value": 8}], invitation=answered)
    return campaign


def test_campaign_page_shows_counts_and_response_rate(client, manager, campaign):
    client.force_login(manager)

    page = client.get(reverse("surveys:campaign_detail", args=[campaign.pk]))

    assert page.status_code == 200
    c = page.context["campaign"]
    assert (c.invited, c.pending, c.sent, c.failed, c.suppressed, c.responded) == (6, 0, 3, 1, 2, 1)
    assert c.response_rate == 33.3
    html = page.content.decode()
    assert "33.3 %" in html
    assert "after 3 days, at most 2" in html


def test_campaign_page_lists_failures_and_suppressions_with_reasons(client, manager, campaign):
    client.force_login(manager)

    page = client.get(reverse("surveys:campaign_detail", args=[campaign.pk]))

    problems = list(page.context["page"].object_list)
    assert [i.status for i in problems] == ["failed", "suppressed", "suppressed"]
    html = page.content.decode()
    assert "No such user" in html
    assert "Unsubscribed, do-not-contact or no e-mail address." in html


def test_failures_are_paginated(client, manager, survey):
    campaign = distribution.campaign_schedule(survey=survey, name="Many")
    for _ in range(55):
        CustomerFactory(do_not_contact=True)
    with mock.patch.object(distribution, "_queue_chunk"):
        distribution.campaigns_dispatch_due()
    client.force_login(manager)

    first = client.get(reverse("surveys:campaign_detail", args=[campaign.pk]))
    second = client.get(reverse("surveys:campaign_detail", args=[campaign.pk]), {"page": 2})

    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == 5


def test_cancel_from_the_campaign_page_returns_to_it(client, manager, survey):
    CustomerFactory()
    campaign = distribution.campaign_schedule(survey=survey, name="Later", send_at=timezone.now() + timedelta(days=1))
    client.force_login(manager)
    page = client.get(reverse("surveys:campaign_detail", args=[campaign.pk]))
    assert "Cancel campaign" in page.content.decode()

    response = client.post(reverse("surveys:campaign_cancel", args=[campaign.pk]), {"back": "campaign"})

    assert response["Location"] == reverse("surveys:campaign_detail", args=[campaign.pk])
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CANCELLED


def test_survey_page_links_each_campaign(client, manager, campaign):
    client.force_login(manager)
    html = client.get(reverse("surveys:survey_detail", args=[campaign.survey_id])).content.decode()
    assert reverse("surveys:campaign_detail", args=[campaign.pk]) in html


def test_campaign_name_is_escaped(client, manager, survey):
    campaign = distribution.campaign_schedule(survey=survey, name="<img src=x onerror=alert(1)>")
    client.force_login(manager)
    html = client.get(reverse("surveys:campaign_detail", args=[campaign.pk])).content.decode()
    assert "<img src=x" not in html


def test_department_member_cannot_see_the_campaign_page(client, sales_member, campaign):
    client.force_login(sales_member)
    assert client.get(reverse("surveys:campaign_detail", args=[campaign.pk])).status_code == 403


def test_unknown_campaign_is_404(client, manager):
    client.force_login(manager)
    assert client.get(reverse("surveys:campaign_detail", args=[999999])).status_code == 404


def test_response_detail_links_the_campaign_of_its_invitation(client, manager, campaign):
    response = campaign.invitations.get(status="responded").response
    client.force_login(manager)

    html = client.get(reverse("surveys:response_detail", args=[response.pk])).content.decode()

    assert reverse("surveys:campaign_detail", args=[campaign.pk]) in html
    assert "Spring pulse" in html
    assert "E-mail invitation" in html
