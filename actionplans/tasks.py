"""Celery tasks of actionplans: each loads by id and calls one service (the names are what senders use)."""

from celery import shared_task
from django.db import DatabaseError, InterfaceError

from actionplans import services
from actionplans.services import closed_loop


@shared_task(
    name="actionplans.send_daily_digest",
    autoretry_for=(DatabaseError, InterfaceError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=6,
)
def send_daily_digest() -> int:
    return services.reminders_send_daily_digest()


@shared_task(
    name="actionplans.detractor_follow_up",
    autoretry_for=(DatabaseError, InterfaceError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=6,
)
def detractor_follow_up(response_id: int) -> int | None:
    """Sent by surveys (by name) after a response commits; opens at most one action per response."""
    action = closed_loop.follow_up_for_response(response_id)
    return action.pk if action else None


@shared_task(
    name="actionplans.target_crossing_follow_up",
    autoretry_for=(DatabaseError, InterfaceError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=6,
)
def target_crossing_follow_up(crossing_ids: list[int]) -> list[int]:
    """Sent by metrics (by name) after targets were evaluated; one action per missed crossing that asks for it."""
    opened = [closed_loop.follow_up_for_crossing(crossing_id) for crossing_id in crossing_ids]
    return [action.pk for action in opened if action is not None]
