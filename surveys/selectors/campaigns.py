"""Reads of campaigns and invitations: counts per campaign, its problems, an invitation by its link."""

from django.db.models import Count, Q, QuerySet

from surveys.models import Campaign, Invitation, Survey
from surveys.selectors import respondent


def invitation_by_token(*, token: str) -> Invitation | None:
    """The invitation with its campaign, survey and customer and ``has_response`` annotated, or None."""
    return respondent.invitation_by_token(token=token)


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
        Campaign.objects.select_related("survey", "persona", "series")
        .annotate(**_campaign_counts())
        .filter(kind=Campaign.Kind.SCHEDULED)
    )
    return campaigns.filter(survey=survey) if survey is not None else campaigns


def campaign_detail(*, campaign_id: int) -> Campaign:
    """One campaign (scheduled or transactional) with the counts of ``campaigns_with_counts``."""
    return (
        Campaign.objects.select_related("survey", "persona", "created_by", "series")
        .annotate(**_campaign_counts())
        .get(pk=campaign_id)
    )


def series_runs(*, series_id: int) -> QuerySet[Campaign]:
    """The runs of a recurring campaign, newest first, with the counts of ``campaigns_with_counts``."""
    return Campaign.objects.filter(series_id=series_id).annotate(**_campaign_counts()).order_by("-send_at", "-id")


def campaign_problems(*, campaign: Campaign) -> QuerySet[Invitation]:
    """The campaign's failed and suppressed invitations with their reasons, failures first."""
    return (
        campaign.invitations.filter(status__in=[Invitation.Status.FAILED, Invitation.Status.SUPPRESSED])
        .select_related("customer")
        .order_by("status", "id")
    )
