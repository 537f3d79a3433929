"""Celery tasks of surveys: thin wrappers around the distribution services."""

from celery import shared_task
from django.db import DatabaseError, InterfaceError

from surveys.services import distribution


@shared_task(
    name="surveys.dispatch_due_campaigns",
    autoretry_for=(DatabaseError, InterfaceError),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=8,
)
def dispatch_due_campaigns() -> dict:
    return distribution.campaigns_dispatch_due()


@shared_task(
    name="surveys.send_invitations",
    autoretry_for=(distribution.TransientSendError, DatabaseError, InterfaceError),
    retry_backoff=30,
    retry_backoff_max=1800,
    retry_jitter=True,
    max_retries=10,
)
def send_invitations(invitation_ids: list[int]) -> dict:
    return distribution.invitations_send(invitation_ids=invitation_ids)
