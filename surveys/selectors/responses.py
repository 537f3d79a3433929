"""Reads of responses for CX managers and department members: the filtered list, one response, export columns.

Who may read which responses is ``surveys.selectors.access``; every function here applies it.
"""

from datetime import date, datetime, time, timedelta

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from surveys import scales
from surveys.models import Answer, Question, Response
from surveys.selectors import access


def _local_day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


def response_list(
    *,
    user,
    survey_id: int | None = None,
    touchpoint_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    band: str | None = None,
    has_comment: bool | None = None,
) -> QuerySet[Response]:
    """The responses ``user`` may read (``surveys.selectors.access``), newest first, filtered; dates are inclusive days
    in the site's time zone.

    ``band`` keeps responses with at least one answer in that score band; ``has_comment`` those with
    (or without) a non-empty text answer. Answers are prefetched in question order: a page of any size
    costs the same few queries.
    """
    responses = (
        access.responses_visible_to(user=user)
        .select_related("survey", "touchpoint__stage__journey_map", "customer", "invitation__campaign")
        .prefetch_related(
            Prefetch("answers", queryset=Answer.objects.select_related("question").order_by("question__position", "id"))
        )
    )
    if survey_id is not None:
        responses = responses.filter(survey_id=survey_id)
    if touchpoint_id is not None:
        responses = responses.filter(touchpoint_id=touchpoint_id)
    if date_from is not None:
        responses = responses.filter(submitted_at__gte=_local_day_start(date_from))
    if date_to is not None:
        responses = responses.filter(submitted_at__lt=_local_day_start(date_to + timedelta(days=1)))
    if band:
        responses = responses.filter(
            Exists(Answer.objects.filter(scales.band_q(band), response=OuterRef("pk"), value__isnull=False))
        )
    if has_comment is not None:
        commented = Exists(
            Answer.objects.filter(response=OuterRef("pk"), question__kind__in=Question.TEXT).exclude(text="")
        )
        responses = responses.filter(commented if has_comment else ~commented)
    return responses.order_by("-submitted_at", "-id")


def response_detail(*, response_id: int, user) -> Response:
    """One response ``user`` may read, with its answers, customer, invitation and campaign (raises
    Response.DoesNotExist for another touchpoint's response too: not found, not forbidden)."""
    return response_list(user=user).get(pk=response_id)


def export_questions(*, responses: QuerySet[Response]) -> list[Question]:
    """The questions of the surveys among ``responses``, one column each, in survey and question order."""
    return list(
        Question.objects.filter(survey__in=responses.order_by().values("survey_id"))
        .select_related("survey")
        .order_by("survey__title", "survey_id", "position", "id")
    )
