"""Reads in surveys shared by views and the API."""

from django.db.models import Count, QuerySet

from surveys.models import Response, Survey


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
