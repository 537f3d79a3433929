"""Reads of surveys and their questions, for the builder, the respondent pages and the home page."""

from django.db.models import Count, QuerySet

from surveys.models import Question, Response, Survey


def survey_counts() -> dict:
    return {"surveys": Survey.objects.count(), "responses": Response.objects.count()}


def survey_list() -> QuerySet[Survey]:
    return Survey.objects.select_related("touchpoint__stage__journey_map").annotate(response_count=Count("responses"))


def survey_by_public_token(*, token: str) -> Survey | None:
    return Survey.objects.filter(public_token=token, public_link_enabled=True).first()


def responses_for_survey(*, survey: Survey, limit: int = 50) -> list[Response]:
    return list(
        survey.responses.select_related("customer")
        .prefetch_related("answers__question")
        .order_by("-submitted_at", "-id")[:limit]
    )


def survey_questions(*, survey: Survey) -> list[Question]:
    """The survey's questions in order, each with the question its display condition refers to.

    One query without a join: a condition refers to an earlier question of the same survey, which is in
    the list already, so it is linked here (the respondent's submit runs this on every request).
    """
    questions = list(survey.questions.order_by("position", "id"))
    by_id = {q.pk: q for q in questions}
    for question in questions:
        source = by_id.get(question.show_if_question_id)
        if source is not None:
            question.show_if_question = source
    return questions


def survey_question(*, survey: Survey, question_id: int) -> Question | None:
    return survey.questions.select_related("show_if_question").filter(pk=question_id).first()
