"""Reads of webhooks shared by the UI and the API."""

from django.db.models import Count, Max, Q, QuerySet

from cxportal.webhooks.models import WebhookDelivery, WebhookSubscription


def webhook_subscription_list() -> QuerySet[WebhookSubscription]:
    """Every subscription with ``pending_count``, ``failed_count`` and ``last_delivery_at``."""
    return WebhookSubscription.objects.annotate(
        pending_count=Count("deliveries", filter=Q(deliveries__status=WebhookDelivery.Status.PENDING)),
        failed_count=Count("deliveries", filter=Q(deliveries__status=WebhookDelivery.Status.FAILED)),
        last_delivery_at=Max("deliveries__created_at"),
    ).order_by("name", "id")


def webhook_delivery_list(*, subscription: WebhookSubscription | None = None) -> QuerySet[WebhookDelivery]:
    """Deliveries, newest first (of one subscription when given)."""
    deliveries = WebhookDelivery.objects.select_related("subscription").order_by("-created_at", "-id")
    if subscription is not None:
        deliveries = deliveries.filter(subscription=subscription)
    return deliveries


def webhook_event_wanted(*, event_type: str) -> bool:
    """Whether any active subscription receives ``event_type`` (lets emitters skip gathering data)."""
    return any(
        event_type in events
        for events in WebhookSubscription.objects.filter(is_active=True).values_list("events", flat=True)
    )
