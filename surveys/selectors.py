"""Reads in surveys shared by views and the API."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from surveys.models import Campaign, Invitation, Response, Survey


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
        .first()
    )


def campaigns_with_counts(*, survey: Survey | None = None) -> QuerySet[Campaign]:
    """Campaigns with invited / pending / sent / failed / suppressed / responded counts, in one query."""
    statuses = Invitation.Status

    def count(*states):
        return Count("invitations", filter=Q(invitations__status__in=states))

    campaigns = Campaign.objects.select_related("survey", "persona").annotate(
        invited=Count("invitations"),
        pending=count(statuses.PENDING, statuses.SENDING),
        sent=count(statuses.SENT, statuses.RESPONDED),
        failed=count(statuses.FAILED),
        suppressed=count(statuses.SUPPRESSED),
        responded=count(statuses.RESPONDED),
    )
    campaigns = campaigns.filter(kind=Campaign.Kind.SCHEDULED)
    return campaigns.filter(survey=survey) if survey is not None else campaigns
