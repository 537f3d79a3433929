"""Retention of the delivery log: finished deliveries are purged ``WEBHOOKS_RETENTION_DAYS`` after their last attempt.

Only finished rows go (succeeded, or failed for good), and only when their last attempt (never attempted:
their creation) is older than the retention; pending rows, retries included, stay whatever their age. Rows
are deleted by primary key in batches of ``PURGE_BATCH``, each batch one short statement of its own, so
memory and lock time stay bounded on a large table. Once-only events keep their ``WebhookOnceEvent``
rows, so a purge never lets such an event be sent again.
"""

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from cxportal.webhooks.models import WebhookDelivery

logger = logging.getLogger(__name__)

PURGE_BATCH = 1000
# A beat run stops after this long and queues the rest, well inside CELERY_TASK_SOFT_TIME_LIMIT.
PURGE_TIME_BUDGET = timedelta(minutes=5)
FINISHED = (WebhookDelivery.Status.SUCCEEDED.value, WebhookDelivery.Status.FAILED.value)


@dataclass(frozen=True)
class PurgeResult:
    days: int  # the retention applied; 0 = deliveries are kept forever and nothing was looked at
    cutoff: datetime | None  # rows last attempted before this went
    counts: dict[str, int]  # status -> rows deleted (in a dry run: rows that would be)
    complete: bool = True  # False when the time budget ran out before every expired row was deleted

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def webhook_retention_days() -> int:
    """Days a finished delivery is kept (``WEBHOOKS_RETENTION_DAYS``); 0 means forever."""
    return settings.WEBHOOKS_RETENTION_DAYS or 0


def _expired(cutoff: datetime, statuses: tuple[str, ...] = FINISHED) -> QuerySet[WebhookDelivery]:
    return WebhookDelivery.objects.filter(status__in=statuses).filter(
        Q(last_attempt_at__lt=cutoff) | Q(last_attempt_at__isnull=True, created_at__lt=cutoff)
    )


def webhook_deliveries_purge(
    *,
    days: int | None = None,
    now: datetime | None = None,
    dry_run: bool = False,
    batch_size: int | None = None,
    time_budget: timedelta | None = None,
) -> PurgeResult:
    """Delete finished deliveries older than ``days`` (default: the setting; 0 keeps everything).

    With ``dry_run`` only count them. ``batch_size`` rows go per statement (default ``PURGE_BATCH``). With
    ``time_budget`` stop between batches once it is spent (``complete`` is then False); what was deleted
    stays deleted, and the next run carries on.
    """
    days = webhook_retention_days() if days is None else days
    if days < 0:
        raise ValueError("The retention is a number of days >= 0.")
    if not days:
        return PurgeResult(days=0, cutoff=None, counts={})
    cutoff = (now or timezone.now()) - timedelta(days=days)
    if dry_run:
        counts = _expired(cutoff).aggregate(**{status: Count("pk", filter=Q(status=status)) for status in FINISHED})
        return PurgeResult(days=days, cutoff=cutoff, counts=counts)

    batch_size = batch_size or PURGE_BATCH
    deadline = time.monotonic() + time_budget.total_seconds() if time_budget is not None else None
    counts = dict.fromkeys(FINISHED, 0)
    complete = True
    for status in FINISHED:
        expired = _expired(cutoff, (status,))
        last_pk = 0
        while complete:
            # Keyset over the primary key: each batch starts where the last ended, nothing is scanned twice.
            pks = list(expired.filter(pk__gt=last_pk).order_by("pk").values_list("pk", flat=True)[:batch_size])
            if not pks:
                break
            # The conditions apply again: a row redelivered since it was read is pending now, and stays.
            deleted, _ = expired.filter(pk__in=pks).delete()
            counts[status] += deleted
            last_pk = pks[-1]
            if len(pks) < batch_size:
                break
            complete = deadline is None or time.monotonic() < deadline
    result = PurgeResult(days=days, cutoff=cutoff, counts=counts, complete=complete)
    if result.total or not complete:
        logger.info(
            "Purged %s webhook deliveries last attempted before %s (%s)%s",
            result.total,
            cutoff.isoformat(),
            ", ".join(f"{n} {s}" for s, n in counts.items()),
            "" if complete else "; time budget spent, the rest follows",
        )
    return result
