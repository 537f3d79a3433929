"""Celery tasks of metrics: thin wrappers around the recompute services."""

from celery import shared_task
from django.db import DatabaseError

from metrics import services, targets


@shared_task(
    name="metrics.recompute_changed",
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=8,
)
def recompute_changed() -> int | None:
    run = services.snapshots_recompute_if_changed()
    if run is not None:
        targets.targets_evaluate()
    return run.pk if run else None


@shared_task(
    name="metrics.recompute_all",
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=8,
)
def recompute_all() -> int:
    run = services.snapshots_recompute()
    targets.targets_evaluate()
    return run.pk
