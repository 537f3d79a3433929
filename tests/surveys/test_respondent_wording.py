"""What respondents read: the public title (never the internal one), a greeting by person, the company."""

import pytest
from django.core import mail
from django.urls import reverse

from cxportal.branding import branding_update
from surveys.services import distribution, survey_create_nps
from tests.journeys.factories import CustomerFactory, TouchpointFactory

pytestmark = pytest.mark.django_db

INTERNAL = "NPS – After-sales service"


def _survey(language="en", public_title=""):
    survey = survey_create_nps(title=INTERNAL, touchpoint=TouchpointFactory(), language=language)
    if public_title:
        survey.public_title = public_title
        survey.save(update_fields=["public_title"])
    return survey


def _send(survey):
    distribution.campaign_schedule(survey=survey, name="Pulse")
    distribution.campaigns_dispatch_due()
    return mail.outbox[-1]


def _html(message) -> str:
    return next(content for content, mime in message.alternatives if mime == "text/html")


def test_survey_page_shows_the_public_title_not_the_internal_one(client):
    survey = _survey(public_title="How was our service visit?")
    page = client.get(reverse("respondent:survey", args=[survey.public_token])).content.decode()
    assert "How was our service visit?" in page
    assert INTERNAL not in page


@pytest.mark.parametrize(("language", "neutral"), [("en", "Your feedback"), ("de", "Ihr Feedback")])
def test_without_a_public_title_the_page_has_a_neutral_title_in_the_survey_language(client, language, neutral):
    survey = _survey(language=language)
    page = client.get(reverse("respondent:survey", args=[survey.public_token])).content.decode()
    assert f'<h1 class="h3 mb-3">{neutral}</h1>' in page
    assert INTERNAL not in page


def test_thank_you_page_names_the_public_title(client):
    survey = _survey(public_title="Your service visit")
    nps = survey.questions.get(kind="nps")
    url = reverse("respondent:survey", args=[survey.public_token])
    response = client.post(url, {f"q{nps.pk}": "9"}, follow=True)
    page = response.content.decode()
    assert "Thank you!" in page
    assert "Your service visit" in page
    assert INTERNAL not in page


def test_invitation_subject_and_body_use_the_public_title():
    CustomerFactory()
    message = _send(_survey(public_title="Your service visit"))
    assert message.subject == "Your opinion on Your service visit"
    assert '"Your service visit"' in message.body
    assert INTERNAL not in message.subject + message.body + _html(message)


def test_invitation_without_public_title_never_shows_the_internal_title():
    CustomerFactory()
    branding_update(company_name="Müller Verpackungstechnik", accent_color="")
    message = _send(_survey(language="de"))
    assert message.subject == "Ihre Meinung zu Müller Verpackungstechnik"
    assert INTERNAL not in message.subject + message.body + _html(message)


def test_invitation_without_public_title_or_company_has_a_neutral_subject():
    CustomerFactory()
    message = _send(_survey(language="de"))
    assert message.subject == "Wir möchten Ihre Meinung hören"


def test_invitation_greets_the_contact_person_not_the_company():
    CustomerFactory(name="Möbelwerke Süd GmbH", contact_name="Anna Berger")
    message = _send(_survey(language="de"))
    assert message.body.startswith("Guten Tag Anna Berger,")
    assert "Möbelwerke" not in message.body


@pytest.mark.parametrize(("language", "greeting"), [("de", "Guten Tag,"), ("en", "Hello,")])
def test_invitation_without_a_contact_person_greets_neutrally(language, greeting):
    CustomerFactory(name="Möbelwerke Süd GmbH", contact_name="")
    message = _send(_survey(language=language))
    assert message.body.startswith(greeting + "\n")
    assert "Möbelwerke" not in message.body
    assert "Möbelwerke" not in _html(message)


def test_invitation_carries_the_company_name_and_logo_from_our_own_server(settings):
    settings.SITE_URL = "https://cx.example.test"
    from tests.cxportal.test_branding import png_upload

    branding_update(company_name="Müller & Söhne", accent_color="#123456", logo=png_upload())
    CustomerFactory(contact_name="Jonas <b>Weber</b>")
    message = _send(_survey())
    html = _html(message)
    assert "Müller & Söhne" in message.body
    assert 'src="https://cx.example.test/branding/logo.png?v=' in html
    assert "Müller &amp; Söhne" in html
    assert "Jonas &lt;b&gt;Weber&lt;/b&gt;" in html
    assert "#123456" in html


def test_public_title_is_read_and_written_through_the_api(api_client):
    survey = _survey()
    url = f"/api/v1/surveys/{survey.pk}/"
    assert api_client.get(url).json()["public_title"] == ""
    response = api_client.patch(url, {"public_title": "Wie war Ihr Service-Termin?"}, format="json")
    assert response.status_code == 200, response.content
    survey.refresh_from_db()
    assert survey.public_title == "Wie war Ihr Service-Termin?"


def test_builder_settings_form_saves_the_public_title(client, manager):
    survey = _survey()
    client.force_login(manager)
    url = reverse("surveys:survey_settings", args=[survey.pk])
    page = client.get(url).content.decode()
    assert "Title respondents see" in page
    data = {
        "title": INTERNAL,
        "public_title": "Your service visit",
        "language": "en",
        "is_active": "on",
        "public_link_enabled": "on",
    }
    assert client.post(url, data).status_code == 302
    survey.refresh_from_db()
    assert survey.public_title == "Your service visit"
    assert survey.title == INTERNAL


def test_staff_lists_name_customers_instead_of_their_ids(client, manager):
    survey = _survey()
    customer = CustomerFactory(name="Möbelwerke Süd GmbH", do_not_contact=True)
    distribution.campaign_schedule(survey=survey, name="Pulse")
    distribution.campaigns_dispatch_due()
    from surveys.models import Campaign

    client.force_login(manager)
    campaign_page = client.get(reverse("surveys:campaign_detail", args=[Campaign.objects.get().pk])).content.decode()
    assert "Möbelwerke Süd GmbH" in campaign_page

    nps = survey.questions.get(kind="nps")
    from surveys.services import response_submit

    response_submit(survey=survey, customer=customer, answers=[{"question": nps.pk, "value": 9}])
    list_page = client.get(reverse("surveys:response_list")).content.decode()
    assert "Möbelwerke Süd GmbH" in list_page
