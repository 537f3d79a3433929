import factory

from surveys.models import Question, Survey
from surveys.services import survey_create_nps
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
