"""Celery tasks of actionplans."""

from celery import shared_task
from django.db import DatabaseError

from actionplans import services


@shared_task(
    name="actionplans.send_daily_digest",
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=6,
)
def send_daily_digest() -> int:
    return services.reminders_send_daily_digest()
