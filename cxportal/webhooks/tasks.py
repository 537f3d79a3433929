"""Celery tasks of webhooks: thin wrappers around the delivery and retention services."""

from celery import shared_task
from django.db import DatabaseError, InterfaceError

from cxportal.webhooks import retention, services


@shared_task(
    name="webhooks.deliver",
    autoretry_for=(DatabaseError, InterfaceError),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=6,
)
def deliver(delivery_id: int) -> str | None:
    """One attempt of one delivery, if it is due and nobody else has it; failures are rescheduled in the row."""
    return services.webhook_delivery_attempt(delivery_id=delivery_id)


@shared_task(
    name="webhooks.deliver_due",
    autoretry_for=(DatabaseError, InterfaceError),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=6,
)
def deliver_due() -> int:
    """Beat, every minute: queue the deliveries that are due (retries and attempts whose task was lost)."""
    return services.webhook_deliveries_queue_due()


@shared_task(
    name="webhooks.purge_deliveries",
    autoretry_for=(DatabaseError, InterfaceError),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=6,
)
def purge_deliveries() -> int:
    """Beat, daily: delete finished deliveries older than WEBHOOKS_RETENTION_DAYS; returns how many went.

    A backlog larger than one run's time budget (the first run on an old table) continues in a new task.
    """
    result = retention.webhook_deliveries_purge(time_budget=retention.PURGE_TIME_BUDGET)
    if not result.complete:
        purge_deliveries.delay()
    return result.total
