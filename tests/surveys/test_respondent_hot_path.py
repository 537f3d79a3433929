"""The respondent's submit reads little (issue 17, P1), and what it keeps never shows an outdated survey."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from surveys.models import Invitation, Question, Response, Survey
from surveys.selectors import invitation_by_token
from surveys.selectors import respondent as respondent_selectors
from surveys.services import questions as question_services
from tests.journeys.factories import CustomerFactory
from tests.surveys.test_distribution import _run_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _nothing_kept():
    respondent_selectors.forget_kept()
    yield
    respondent_selectors.forget_kept()


def _public_url(survey: Survey) -> str:
    return reverse("respondent:survey", args=[survey.public_token])


def test_invitation_by_token_loads_campaign_survey_and_customer_in_one_query(survey, django_assert_num_queries):
    customer = CustomerFactory(contact_name="Ada Muster")
    _run_campaign(survey)
    token = Invitation.objects.get().token

    with django_assert_num_queries(1):
        invitation = invitation_by_token(token=token)
        assert invitation.customer.contact_name == "Ada Muster"
        assert invitation.campaign.survey.title == survey.title
        assert invitation.campaign.survey.questions.model is Question
    assert invitation.customer == customer
    assert invitation.has_response is False
    assert invitation_by_token(token="x" * 32) is None


def test_invitation_by_token_says_when_the_response_is_stored(client, survey):
    CustomerFactory()
    _run_campaign(survey)
    invitation = Invitation.objects.get()
    nps = survey.questions.get(kind="nps")

    assert (
        client.post(reverse("respondent:invitation", args=[invitation.token]), {f"q{nps.pk}": "7"}).status_code == 302
    )

    assert invitation_by_token(token=invitation.token).has_response is True


def test_second_submit_reads_the_questions_no_more(client, survey, django_assert_max_num_queries):
    nps = survey.questions.get(kind="nps")
    client.post(_public_url(survey), {f"q{nps.pk}": "9"})

    # The survey; BEGIN, the response, its answers, the webhook subscribers, COMMIT — no question query.
    with django_assert_max_num_queries(7):
        assert client.post(_public_url(survey), {f"q{nps.pk}": "8"}).status_code == 302
    assert Response.objects.count() == 2


def test_a_question_added_after_answers_is_asked_and_required_at_once(client, survey):
    nps = survey.questions.get(kind="nps")
    assert client.post(_public_url(survey), {f"q{nps.pk}": "9"}).status_code == 302  # questions now kept

    added = question_services.question_add(survey=survey, kind="csat", text="How satisfied are you?", required=True)

    page = client.get(_public_url(survey)).content.decode()
    assert "How satisfied are you?" in page
    refused = client.post(_public_url(survey), {f"q{nps.pk}": "9"})
    assert refused.status_code == 400
    assert Response.objects.count() == 1
    assert client.post(_public_url(survey), {f"q{nps.pk}": "9", f"q{added.pk}": "4"}).status_code == 302


def test_moved_and_deleted_questions_show_at_once(client, survey):
    nps, reason = survey.questions.get(kind="nps"), survey.questions.get(kind="long_text")
    client.get(_public_url(survey))

    question_services.question_move(question=reason, direction="up")
    page = client.get(_public_url(survey)).content.decode()
    assert page.index(reason.text) < page.index(nps.text)

    question_services.question_delete(question=reason)
    assert reason.text not in client.get(_public_url(survey)).content.decode()


def test_a_change_made_by_another_process_shows_once_the_survey_is_touched(client, survey):
    """Another web process keeps its own copy; the survey's updated_at, moved by every change, retires it."""
    reason = survey.questions.get(kind="long_text")
    client.get(_public_url(survey))  # kept here
    # What another process's change looks like from here: rows changed, nothing forgotten in this process.
    Question.objects.filter(pk=reason.pk).update(text="What should we do better?")
    Survey.objects.filter(pk=survey.pk).update(updated_at=timezone.now() + timedelta(seconds=1))

    assert "What should we do better?" in client.get(_public_url(survey)).content.decode()
