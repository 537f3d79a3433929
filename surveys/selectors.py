"""Reads in surveys shared by views and the API."""

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from journeys.models import Customer
from surveys import access
from surveys.models import Answer, Campaign, Invitation, PrivacyRequest, Question, Response, Survey


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


def invitation_by_token(*, token: str) -> Invitation | None:
    """The invitation with ``has_response`` annotated, or None."""
    return (
        Invitation.objects.select_related("campaign__survey", "customer")
        .annotate(has_response=Exists(Response.objects.filter(invitation=OuterRef("pk"))))
        .filter(token=token)
        .order_by("pk")  # the token is unique; the default order would join the campaign to sort one row
        .first()
    )


def _campaign_counts() -> dict:
    """Annotations: invited / pending / sent / failed / suppressed / started / responded (one query)."""
    statuses = Invitation.Status

    def count(*states):
        return Count("invitations", filter=Q(invitations__status__in=states))

    return {
        "invited": Count("invitations"),
        "pending": count(statuses.PENDING, statuses.SENDING),
        "sent": count(statuses.SENT, statuses.RESPONDED),
        "failed": count(statuses.FAILED),
        "suppressed": count(statuses.SUPPRESSED),
        "responded": count(statuses.RESPONDED),
        "started": Count("invitations", filter=Q(invitations__opened_at__isnull=False)),
    }


def campaigns_with_counts(*, survey: Survey | None = None) -> QuerySet[Campaign]:
    """The scheduled campaigns (of one survey) with their counts, in one query."""
    campaigns = (
        Campaign.objects.select_related("survey", "persona")
        .annotate(**_campaign_counts())
        .filter(kind=Campaign.Kind.SCHEDULED)
    )
    return campaigns.filter(survey=survey) if survey is not None else campaigns


# --- Responses for CX managers ---------------------------------------------------------------------

# Score bands: NPS by its definition (detractor 0–6, passive 7–8, promoter 9–10); CSAT (1–5) and CES (1–7)
# low / mid / high around their "good" boxes (CSAT 4–5, CES 5–7). Rating questions have no band.
SCORE_BANDS = {
    "detractor": Q(question__kind=Question.Kind.NPS, value__lte=6),
    "passive": Q(question__kind=Question.Kind.NPS, value__in=[7, 8]),
    "promoter": Q(question__kind=Question.Kind.NPS, value__gte=9),
    "low": Q(question__kind=Question.Kind.CSAT, value__lte=2) | Q(question__kind=Question.Kind.CES, value__lte=3),
    "mid": Q(question__kind=Question.Kind.CSAT, value=3) | Q(question__kind=Question.Kind.CES, value=4),
    "high": Q(question__kind=Question.Kind.CSAT, value__gte=4) | Q(question__kind=Question.Kind.CES, value__gte=5),
}


# The band a "low scores" link of a KPI's figure selects, by the question kind the KPI is computed from.
LOW_BAND_OF_KIND = {Question.Kind.NPS: "detractor", Question.Kind.CSAT: "low", Question.Kind.CES: "low"}


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
    """The responses ``user`` may read (``surveys.access``), newest first, filtered; dates are inclusive days
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
            Exists(Answer.objects.filter(SCORE_BANDS[band], response=OuterRef("pk"), value__isnull=False))
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


def campaign_detail(*, campaign_id: int) -> Campaign:
    """One campaign (scheduled or transactional) with the counts of ``campaigns_with_counts``."""
    return (
        Campaign.objects.select_related("survey", "persona", "created_by")
        .annotate(**_campaign_counts())
        .get(pk=campaign_id)
    )


def campaign_problems(*, campaign: Campaign) -> QuerySet[Invitation]:
    """The campaign's failed and suppressed invitations with their reasons, failures first."""
    return (
        campaign.invitations.filter(status__in=[Invitation.Status.FAILED, Invitation.Status.SUPPRESSED])
        .select_related("customer")
        .order_by("status", "id")
    )


def customer_find(*, query: str) -> list[Customer]:
    """Customers whose external id or e-mail address is exactly ``query`` (case-insensitive e-mail)."""
    query = query.strip()
    if not query:
        return []
    return list(Customer.objects.filter(Q(external_id=query) | Q(email__iexact=query)).order_by("external_id")[:10])


def customer_responses(*, customer: Customer) -> QuerySet[Response]:
    """A customer's responses: linked directly, or through their invitation (anonymous surveys)."""
    return Response.objects.filter(Q(customer=customer) | Q(invitation__customer=customer))


def customer_data(*, customer: Customer) -> dict:
    """Everything surveys hold about one customer, for a data-subject export (no link tokens)."""
    responses = (
        customer_responses(customer=customer)
        .select_related("survey", "touchpoint")
        .prefetch_related(Prefetch("answers", queryset=Answer.objects.select_related("question")))
        .order_by("submitted_at", "id")
    )
    invitations = customer.invitations.select_related("campaign__survey").order_by("created_at", "id")
    return {
        "customer": {
            "id": customer.pk,
            "external_id": customer.external_id,
            "email": customer.email,
            "name": customer.name,
            "language": customer.language,
            "persona": customer.persona_id,
            "attributes": customer.attributes,
            "acquired_at": _iso(customer.acquired_at),
            "churned_at": _iso(customer.churned_at),
            "unsubscribed_at": _iso(customer.unsubscribed_at),
            "do_not_contact": customer.do_not_contact,
            "created_at": _iso(customer.created_at),
        },
        "responses": [
            {
                "id": r.pk,
                "survey": {"id": r.survey_id, "title": r.survey.title},
                "touchpoint": r.touchpoint.name if r.touchpoint else None,
                "source": r.source,
                "language": r.language,
                "submitted_at": _iso(r.submitted_at),
                "answers": [
                    {
                        "question": a.question.text,
                        "kind": a.question.kind,
                        "value": a.value,
                        "text": a.text,
                        "choices": a.choices,
                    }
                    for a in r.answers.all()
                ],
            }
            for r in responses
        ],
        "invitations": [
            {
                "id": i.pk,
                "campaign": i.campaign.name,
                "survey": i.campaign.survey.title,
                "status": i.status,
                "sent_at": _iso(i.sent_at),
                "last_sent_at": _iso(i.last_sent_at),
                "reminders_sent": i.reminders_sent,
                "created_at": _iso(i.created_at),
            }
            for i in invitations
        ],
    }


def _iso(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def privacy_requests(*, limit: int = 20) -> QuerySet[PrivacyRequest]:
    return PrivacyRequest.objects.select_related("performed_by")[:limit]


def survey_questions(*, survey: Survey) -> list[Question]:
    """The survey's questions in order, each with the question its display condition refers to."""
    return list(survey.questions.select_related("show_if_question").order_by("position", "id"))


def survey_question(*, survey: Survey, question_id: int) -> Question | None:
    return survey.questions.select_related("show_if_question").filter(pk=question_id).first()
