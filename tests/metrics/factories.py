"""Measured data for metrics tests: NPS questions at a touchpoint, answers at noon (Berlin), snapshot rows.

Shared by tests/metrics, tests/actionplans, tests/cxportal, tests/webhooks and the worker tests
(tests/integration, tests/reliability): one definition of "answers on a day" for all of them.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from metrics.models import KpiSnapshot
from surveys.models import Answer, Question, Response
from tests.surveys.factories import QuestionFactory, SurveyFactory

BERLIN = ZoneInfo("Europe/Berlin")
SNAPSHOT_FIELDS = (
    "kpi",
    "scope_type",
    "scope_key",
    "bucket",
    "period_start",
    "n",
    "total",
    "total_sq",
    "count_a",
    "count_b",
    "count_c",
    "value",
    "margin_of_error",
)


def noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=BERLIN)


def nps_question_at(touchpoint):
    return QuestionFactory(survey=SurveyFactory(touchpoint=touchpoint), kind=Question.Kind.NPS)


def respond(question, value, at, *, customer=None) -> Response:
    """One response with one answer, submitted at ``at``."""
    response = Response.objects.create(
        survey=question.survey, touchpoint_id=question.survey.touchpoint_id, customer=customer, submitted_at=at
    )
    Answer.objects.create(response=response, question=question, value=value)
    return response


def add_scored_days(question, scored_days, *, customer=None) -> None:
    """One response per (score, local day), at noon; bulk inserts so hundreds stay cheap."""
    responses = Response.objects.bulk_create(
        Response(
            survey=question.survey,
            touchpoint_id=question.survey.touchpoint_id,
            customer=customer,
            submitted_at=noon(day),
        )
        for _score, day in scored_days
    )
    Answer.objects.bulk_create(
        Answer(response=response, question=question, value=score)
        for response, (score, _day) in zip(responses, scored_days, strict=True)
    )


def add_answers(question, scores, day: date, *, customer=None) -> None:
    """One response per score, all at noon of ``day``."""
    add_scored_days(question, [(score, day) for score in scores], customer=customer)


def snapshot_rows() -> list[tuple]:
    """Every stored snapshot as a tuple of its key and figures, in key order (to compare two recomputes)."""
    return list(KpiSnapshot.objects.order_by(*SNAPSHOT_FIELDS[:5]).values_list(*SNAPSHOT_FIELDS))
