"""The response page and the page of an action opened from a response show how Voice read the comment: its
sentiment with the score and its topics, linked to the topic pages; escaped; none before it is analysed."""

import pytest
from django.urls import reverse

from surveys.models import Question
from surveys.services import response_submit
from tests.actionplans.factories import ActionFactory
from tests.journeys.factories import CustomerFactory, TouchpointFactory
from tests.surveys.factories import QuestionFactory, SurveyFactory
from voice.models import FeedbackItem, Topic
from voice.services import analysis, items

pytestmark = pytest.mark.django_db

COMMENT = "Die Ersatzteile kamen wieder zu spät <b>und</b> niemand hat angerufen."


@pytest.fixture
def answered():
    survey = SurveyFactory(touchpoint=TouchpointFactory(name="Ersatzteilshop"))
    nps = QuestionFactory(survey=survey, kind=Question.Kind.NPS, position=1)
    why = QuestionFactory(survey=survey, kind=Question.Kind.LONG_TEXT, text="Warum?", position=2, required=False)
    response = response_submit(
        survey=survey,
        answers=[{"question": nps.pk, "value": 2}, {"question": why.pk, "text": COMMENT}],
        customer=CustomerFactory(),
    )
    items.survey_comments_ingest(response_ids=[response.pk])
    return response


def test_the_response_page_shows_sentiment_and_topics_of_the_comment(manager_client, answered):
    page = manager_client.get(reverse("surveys:response_detail", args=[answered.pk])).content.decode()
    assert 'id="comment-reading"' not in page  # not analysed yet: nothing to show, nothing guessed

    analysis.items_analyse()
    item = FeedbackItem.objects.get(response=answered)
    topic = Topic.objects.create(key="ersatzteile", language="de", label="Ersatzteile")
    noise = Topic.objects.create(key="rauschen", language="de", label="Rauschen", hidden=True)
    item.topics.add(topic, noise)
    page = manager_client.get(reverse("surveys:response_detail", args=[answered.pk])).content.decode()

    assert 'id="comment-reading"' in page and item.sentiment == "negative"
    assert "Negative" in page and f"{item.sentiment_score:.2f}" in page
    assert f'href="/voice/topics/{topic.pk}/">Ersatzteile</a>' in page
    assert "Rauschen" not in page  # hidden topics are noise, never shown
    assert "<b>und</b>" not in page  # the comment itself stays escaped on the page


def test_the_action_page_shows_the_reading_of_its_source_comment_in_german(manager_client, answered):
    analysis.items_analyse()
    action = ActionFactory(source_response=answered, touchpoint=answered.touchpoint)
    page = manager_client.get(
        reverse("actionplans:action_detail", args=[action.pk]), HTTP_ACCEPT_LANGUAGE="de"
    ).content.decode()
    assert "So liest die Kundenstimme den Kommentar" in page
    assert "Negativ" in page


def test_a_response_without_comment_shows_no_reading(manager_client):
    survey = SurveyFactory()
    nps = QuestionFactory(survey=survey, kind=Question.Kind.NPS, position=1)
    response = response_submit(survey=survey, answers=[{"question": nps.pk, "value": 9}])
    page = manager_client.get(reverse("surveys:response_detail", args=[response.pk])).content.decode()
    assert 'id="comment-reading"' not in page
