"""Data retention: personal data and logs are kept only as long as the settings say.

Each app registers what it keeps and for how long (``rule_register`` in its ``ready()``, like the erasure
inventory): survey responses' personal data (``RETENTION_RESPONSES_DAYS``: unlinked from the customer, free texts
blanked — the scores stay and keep counting in the KPIs, as with an erasure), webhook deliveries
(``WEBHOOKS_RETENTION_DAYS``), audit entries (``RETENTION_AUDIT_DAYS``) and feedback texts
(``RETENTION_FEEDBACK_DAYS``; voice also deletes its copies of survey comments with the responses' rule).
0 keeps forever. ``retention_apply`` runs nightly (beat) and from ``manage.py apply_retention [--dry-run]``; it
works in batches, touches only rows strictly older than the cutoff, is idempotent (a second run finds nothing),
and writes one audit entry with what it did.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

logger = logging.getLogger(__name__)

BATCH = 1000


@dataclass(frozen=True)
class Rule:
    kind: str
    setting: str
    description: str
    # apply(cutoff, dry_run) -> rows changed (in a dry run: rows that would be)
    apply: Callable[[datetime, bool], int]


_RULES: dict[str, Rule] = {}


def rule_register(*, kind: str, setting: str, description: str, apply: Callable[[datetime, bool], int]) -> None:
    _RULES[kind] = Rule(kind=kind, setting=setting, description=description, apply=apply)


def rules() -> list[Rule]:
    return sorted(_RULES.values(), key=lambda rule: rule.kind)


def days_of(rule: Rule) -> int:
    return int(getattr(settings, rule.setting, 0) or 0)


@dataclass(frozen=True)
class RetentionOutcome:
    kind: str
    days: int
    cutoff: datetime | None
    count: int


def retention_apply(*, dry_run: bool = False, now: datetime | None = None) -> list[RetentionOutcome]:
    """Apply every rule whose setting is above 0; returns what each did (or would do)."""
    now = now or timezone.now()
    outcomes = []
    for rule in rules():
        days = days_of(rule)
        if days <= 0:
            outcomes.append(RetentionOutcome(rule.kind, 0, None, 0))
            continue
        cutoff = now - timedelta(days=days)
        outcomes.append(RetentionOutcome(rule.kind, days, cutoff, rule.apply(cutoff, dry_run)))
    if not dry_run:
        _audit(outcomes)
        logger.info("Retention applied: %s", ", ".join(f"{o.kind} {o.count}" for o in outcomes))
    return outcomes


def _audit(outcomes: list[RetentionOutcome]) -> None:
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(LogEntry),
        object_pk="",
        object_repr="Retention",
        action=LogEntry.Action.DELETE,
        additional_data={
            "event": "retention",
            "counts": {o.kind: o.count for o in outcomes},
            "days": {o.kind: o.days for o in outcomes},
        },
    )


def batched_update(queryset, *, dry_run: bool, change: Callable) -> int:
    """Run ``change(batch_queryset)`` over ``queryset`` in primary-key batches; returns the rows touched."""
    if dry_run:
        return queryset.count()
    total, last_pk = 0, 0
    while True:
        pks = list(queryset.filter(pk__gt=last_pk).order_by("pk").values_list("pk", flat=True)[:BATCH])
        if not pks:
            return total
        change(queryset.model.objects.filter(pk__in=pks))
        total += len(pks)
        last_pk = pks[-1]
