"""Webhook payloads in the personal-data inventory (``cxportal.erasure``).

A ``response.*`` payload carries the customer's id and external id, their comment and every answer. On
erasure each delivery naming the customer, one of their responses or invitations gets a tombstone instead of
its payload (the event's id, type and time stay, so the log still shows that something was sent), is marked
``erased_at`` and is never sent again: a pending one stops as failed, a redelivery is refused.
"""

from django.db.models import Q
from django.utils import timezone

from cxportal import erasure
from cxportal.erasure import ErasureSubject
from cxportal.webhooks.models import WebhookDelivery

# Stored like every other attempt error (English, as the receivers' errors are).
ERASED_ERROR = "Not sent: the customer's data was erased on their request."


def tombstone(payload: dict, *, erased_at) -> dict:
    """What is left of an erased delivery's payload: the envelope without the data."""
    envelope = payload if isinstance(payload, dict) else {}
    return {
        "id": envelope.get("id"),
        "type": envelope.get("type"),
        "created_at": envelope.get("created_at"),
        "data": None,
        "erased": True,
        "erased_at": erased_at.isoformat(),
    }


def deliveries_naming(subject: ErasureSubject):
    """Deliveries whose payload names the subject (by customer, external id, response or invitation)."""
    naming = Q(payload__data__customer=subject.customer_id) | Q(payload__data__customer_external_id=subject.external_id)
    if subject.response_ids:
        naming |= Q(payload__data__response__in=sorted(subject.response_ids))
    if subject.invitation_ids:
        naming |= Q(payload__data__invitation__in=sorted(subject.invitation_ids))
    return WebhookDelivery.objects.filter(naming, erased_at__isnull=True)


def deliveries_erase(subject: ErasureSubject) -> dict[str, int]:
    now = timezone.now()
    rows = list(deliveries_naming(subject).select_for_update())
    for row in rows:
        row.payload = tombstone(row.payload, erased_at=now)
        row.erased_at = now
        if row.status == WebhookDelivery.Status.PENDING:
            row.status = WebhookDelivery.Status.FAILED
            row.next_attempt_at = None
            row.queued_at = None
            row.last_error = ERASED_ERROR
    WebhookDelivery.objects.bulk_update(
        rows, ["payload", "erased_at", "status", "next_attempt_at", "queued_at", "last_error"], batch_size=500
    )
    return {"webhook_deliveries": len(rows)}


def register() -> None:
    erasure.holder_register(
        kind="webhook_deliveries",
        models=("webhooks.WebhookDelivery",),
        description="Webhook delivery payloads naming the customer or their responses: replaced by a tombstone, "
        "never sent or redelivered again.",
        erase=deliveries_erase,
        order=10,
    )
    erasure.not_personal("webhooks.WebhookSubscription", "a receiver's URL, secret and chosen events")
    erasure.not_personal("webhooks.WebhookOnceEvent", "which once-only event a receiver got: ids and types only")
