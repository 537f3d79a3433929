"""The respondent's public page: what it shows, that it stores one whole response, and when it refuses."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from surveys.models import Answer, Response, Survey
from surveys.services import response_submit
from tests.surveys.factories import nothing_stored, nps_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def german_survey():
    return nps_survey(title="Kundendienst", language="de")


def _url(survey: Survey) -> str:
    return reverse("respondent:survey", args=[survey.public_token])


def _questions(survey: Survey):
    return survey.questions.get(kind="nps"), survey.questions.get(kind="long_text")


def test_page_shows_eleven_score_buttons_and_the_end_labels(client, survey):
    nps, _reason = _questions(survey)

    response = client.get(_url(survey))

    assert response.status_code == 200
    page = response.content.decode()
    values = re.findall(rf'<input type="radio"[^>]*name="q{nps.pk}"[^>]*value="(\d+)"', page)
    assert values == [str(v) for v in range(11)]
    assert "Not at all likely" in page
    assert "Extremely likely" in page
    assert "How likely is it that you would recommend us" in page
    assert ">Submit</button>" in page
    assert '<html lang="en">' in page


def test_german_survey_page_is_in_german(client, german_survey):
    page = client.get(_url(german_survey)).content.decode()

    assert '<html lang="de">' in page
    assert "Wie wahrscheinlich ist es, dass Sie uns einem Freund oder Kollegen weiterempfehlen?" in page
    # Interface strings come from locale/de (compiled .mo): a missing translation shows English here.
    assert "Absenden" in page, "German button text missing: is locale/de/LC_MESSAGES/django.mo compiled?"
    assert "Sehr unwahrscheinlich" in page
    assert ">Submit</button>" not in page


def test_german_survey_errors_are_in_german(client, german_survey):
    nps, _reason = _questions(german_survey)

    response = client.post(_url(german_survey), {f"q{nps.pk}": ""})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Bitte korrigieren Sie die markierten Antworten." in page
    assert nothing_stored()


def test_opening_the_page_creates_nothing(client, survey):
    for _ in range(3):
        assert client.get(_url(survey)).status_code == 200
    assert client.head(_url(survey)).status_code == 200
    assert nothing_stored()


def test_score_11_returns_the_form_with_a_message_and_stores_nothing(client, survey):
    nps, reason = _questions(survey)

    response = client.post(_url(survey), {f"q{nps.pk}": "11", f"q{reason.pk}": "I typed this"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Please correct the answers marked below." in page
    assert f'id="id_q{nps.pk}-error"' in page
    assert "I typed this" in page  # what the respondent wrote is kept for the second try
    assert nothing_stored()


def test_missing_score_returns_the_form_with_a_message_and_stores_nothing(client, survey):
    nps, reason = _questions(survey)

    response = client.post(_url(survey), {f"q{reason.pk}": "Only a reason"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Please answer this question." in page
    assert 'aria-invalid="true"' in page
    assert nothing_stored()


def test_valid_answer_redirects_to_thanks_and_stores_one_response(client, survey):
    nps, reason = _questions(survey)

    response = client.post(_url(survey), {f"q{nps.pk}": "9", f"q{reason.pk}": "Quick help"})

    assert response.status_code == 302
    assert response["Location"] == reverse("respondent:thanks", args=[survey.public_token])
    stored = Response.objects.get()
    assert stored.source == Response.Source.PUBLIC_LINK
    assert stored.touchpoint_id == survey.touchpoint_id
    answers = {a.question_id: a for a in stored.answers.all()}
    assert answers[nps.pk].value == 9
    assert answers[reason.pk].text == "Quick help"
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert "Thank you!" in thanks.content.decode()


def test_reason_may_be_left_empty(client, survey):
    nps, reason = _questions(survey)
    assert client.post(_url(survey), {f"q{nps.pk}": "0", f"q{reason.pk}": ""}).status_code == 302
    assert list(Answer.objects.values_list("value", flat=True)) == [0]


def test_unknown_token_is_a_404_saying_the_link_is_not_valid(client, survey):
    response = client.get(reverse("respondent:survey", args=["no-such-token"]))

    assert response.status_code == 404
    assert "not valid or has already been used" in response.content.decode()


def test_disabled_public_link_looks_like_an_unknown_one(client, survey):
    Survey.objects.filter(pk=survey.pk).update(public_link_enabled=False)
    response = client.get(_url(survey))
    assert response.status_code == 404
    assert "not valid or has already been used" in response.content.decode()


def test_closed_survey_is_410_and_refuses_a_submit(client, survey):
    nps, _reason = _questions(survey)
    Survey.objects.filter(pk=survey.pk).update(closes_at=timezone.now() - timedelta(hours=1))

    shown = client.get(_url(survey))
    posted = client.post(_url(survey), {f"q{nps.pk}": "9"})

    assert shown.status_code == posted.status_code == 410
    assert "not open for answers" in shown.content.decode()
    assert nothing_stored()


def test_deactivated_survey_is_410(client, survey):
    Survey.objects.filter(pk=survey.pk).update(is_active=False)
    assert client.get(_url(survey)).status_code == 410


def test_respondent_text_is_escaped_on_the_survey_page_for_managers(client, manager, survey):
    nps, reason = _questions(survey)
    response_submit(
        survey=survey,
        answers=[{"question": nps.pk, "value": 2}, {"question": reason.pk, "text": "<script>alert('x')</script>"}],
    )
    client.force_login(manager)

    page = client.get(reverse("surveys:survey_detail", args=[survey.pk])).content.decode()

    assert "<script>alert('x')</script>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
