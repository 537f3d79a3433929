"""Celery tasks of metrics: thin wrappers around the recompute services.

The task names are part of the beat schedule and of queued messages: they never change.
"""

from celery import shared_task
from django.db import DatabaseError, InterfaceError

from metrics.services.recompute import snapshots_recompute, snapshots_recompute_if_changed
from metrics.services.targets import targets_after_recompute


@shared_task(
    name="metrics.recompute_changed",
    autoretry_for=(DatabaseError, InterfaceError),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=8,
)
def recompute_changed() -> int | None:
    run = snapshots_recompute_if_changed()
    if run is not None:
        targets_after_recompute()
    return run.pk if run else None


@shared_task(
    name="metrics.recompute_all",
    autoretry_for=(DatabaseError, InterfaceError),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=8,
)
def recompute_all() -> int:
    run = snapshots_recompute()
    targets_after_recompute()
    return run.pk
