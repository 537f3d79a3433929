import factory

from surveys.models import Question, Survey
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
