"""Reads of data-subject requests: finding a customer, everything surveys hold about them, the audit log."""

from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from journeys.models import Customer
from surveys.models import Answer, PrivacyRequest, Response


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
