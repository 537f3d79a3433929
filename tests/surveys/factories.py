"""Surveys for tests, answers to them, and the responses list as a CX manager sees it."""

from datetime import datetime
from zoneinfo import ZoneInfo

import factory
from django.urls import reverse

from surveys.models import Answer, Question, Response, Survey
from surveys.services import response_submit, survey_create_nps
from tests.journeys.factories import TouchpointFactory


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey

    title = factory.Sequence(lambda n: f"Survey {n}")
    touchpoint = factory.SubFactory(TouchpointFactory)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    survey = factory.SubFactory(SurveyFactory)
    kind = Question.Kind.NPS
    text = "How likely are you to recommend us?"
    position = factory.Sequence(lambda n: n)


def nps_survey(*, title: str = "Onboarding NPS", touchpoint=None, language: str = "en", **kwargs):
    """A survey as CX managers create it from the NPS template: the score, then an optional "why?"."""
    return survey_create_nps(title=title, touchpoint=touchpoint or TouchpointFactory(), language=language, **kwargs)


def answer(survey, score=None, text="", *, at=None, customer=None, **kwargs):
    """Submit a response: ``score`` to the survey's scored question, ``text`` to its long-text question.

    Submitted at noon on 10 March 2026 (Berlin) unless ``at`` says otherwise."""
    questions = {q.kind: q for q in survey.questions.all()}
    answers = []
    if score is not None:
        scored = next(q for q in questions.values() if q.kind in Question.SCORED)
        answers.append({"question": scored.pk, "value": score})
    if text:
        answers.append({"question": questions["long_text"].pk, "text": text})
    return response_submit(
        survey=survey,
        answers=answers,
        submitted_at=at or datetime(2026, 3, 10, 12, tzinfo=ZoneInfo("Europe/Berlin")),
        customer=customer,
        **kwargs,
    )


def listed_responses(client, **params) -> list[int]:
    """The primary keys on the responses list the client sees with these filters, sorted."""
    response = client.get(reverse("surveys:response_list"), params)
    assert response.status_code == 200
    return sorted(r.pk for r in response.context["page"].object_list)


def nothing_stored() -> bool:
    """No response and no answer in the database (a refused submit changed nothing)."""
    return not Response.objects.exists() and not Answer.objects.exists()
