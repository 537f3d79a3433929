"""A campaign whose survey language differs from its customers' languages asks before it is sent."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from surveys.models import Campaign
from surveys.services import survey_create_nps
from tests.journeys.factories import CustomerFactory, PersonaFactory, TouchpointFactory
from tests.surveys.factories import nps_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def english_survey():
    return nps_survey(language="en")


def _post(client, survey, follow=False, headers=None, **data):
    url = reverse("surveys:campaign_create", args=[survey.pk])
    return client.post(url, {"name": "Pulse", **data}, follow=follow, headers=headers)


def test_campaign_to_customers_who_prefer_another_language_asks_first(client, manager, english_survey):
    CustomerFactory.create_batch(3, language="de")
    CustomerFactory.create_batch(2, language="en")
    CustomerFactory(language="de", do_not_contact=True)  # not reached, not counted
    client.force_login(manager)

    response = _post(client, english_survey)

    assert response.status_code == 200
    page = response.content.decode()
    assert "3 of 5 customers prefer German; this survey is in English." in page
    assert 'name="confirm_language"' in page
    assert Campaign.objects.count() == 0


def test_confirming_sends_the_campaign_as_entered(client, manager, english_survey):
    persona = PersonaFactory()
    CustomerFactory(language="de", persona=persona)
    client.force_login(manager)

    response = _post(client, english_survey, persona=persona.pk, confirm_language="1")

    assert response.status_code == 302
    campaign = Campaign.objects.get()
    assert campaign.persona == persona


def test_the_warning_counts_only_the_chosen_persona(client, manager, english_survey):
    persona = PersonaFactory()
    CustomerFactory(language="en", persona=persona)
    CustomerFactory.create_batch(4, language="de")  # another persona's customers
    client.force_login(manager)

    response = _post(client, english_survey, persona=persona.pk)

    assert response.status_code == 302
    assert Campaign.objects.count() == 1


def test_german_readers_get_the_warning_in_german(client, manager):
    survey = survey_create_nps(title="Kundendienst", touchpoint=TouchpointFactory(), language="de")
    CustomerFactory(language="en")
    CustomerFactory(language="de")
    client.force_login(manager)

    page = _post(client, survey, headers={"accept-language": "de"}).content.decode()

    assert "1 von 2 Kunden bevorzugen Englisch; diese Umfrage ist auf Deutsch." in page


def test_scheduled_message_states_the_time_in_the_site_time_zone(client, manager, english_survey, settings):
    settings.TIME_ZONE = "Europe/Berlin"
    CustomerFactory(language="en")
    client.force_login(manager)

    page = _post(client, english_survey, follow=True).content.decode()

    send_at = Campaign.objects.get().send_at
    assert f"scheduled for {timezone.localtime(send_at):%Y-%m-%d %H:%M}." in page
    assert f"{send_at.astimezone(dt.UTC):%Y-%m-%d %H:%M}." not in page
