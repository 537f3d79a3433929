"""Celery tasks of metrics: thin wrappers around the recompute services."""

import logging

from celery import shared_task
from django.db import DatabaseError, InterfaceError

from cxportal.tasks import task_queue
from metrics import services, targets
from metrics.models import TargetCrossing

logger = logging.getLogger(__name__)


def _evaluate_targets() -> None:
    """Evaluate targets, then hand missed targets that ask for an action to actionplans (by task name)."""
    crossings = targets.targets_evaluate()
    ids = [c.pk for c in crossings if c.direction == TargetCrossing.Direction.MISSED and c.target.open_action]
    if not ids:
        return
    try:
        task_queue("actionplans.target_crossing_follow_up", args=[ids])
    except Exception:  # noqa: BLE001 - a broker outage must not fail the recompute
        logger.warning("Could not queue follow-up actions for target crossings %s", ids, exc_info=True)


@shared_task(
    name="metrics.recompute_changed",
    autoretry_for=(DatabaseError, InterfaceError),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=8,
)
def recompute_changed() -> int | None:
    run = services.snapshots_recompute_if_changed()
    if run is not None:
        _evaluate_targets()
    return run.pk if run else None


@shared_task(
    name="metrics.recompute_all",
    autoretry_for=(DatabaseError, InterfaceError),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=8,
)
def recompute_all() -> int:
    run = services.snapshots_recompute()
    _evaluate_targets()
    return run.pk
