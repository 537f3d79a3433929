"""Changes to the KPI inputs that the minutely recompute cannot see from creation times.

The minutely check (``metrics.services.recompute.snapshots_recompute_if_changed``) notices new responses, events,
transactions, sent invitations and changed customers by their timestamps. Deleted rows leave no
timestamp, and moving a touchpoint to another stage or channel (or a survey to another touchpoint) moves
KPIs between scopes without touching any answer. Those changes bump one counter, ``InputChange.version``,
once per transaction after it commits; a run records the version it started from and the next check
recomputes when it moved.

Why a signal here (STYLE.md rule 10, "no signals for our own logic", allows framework integration): this is
the one signal receiver of metrics, and it stays one on purpose. The changes it watches happen in the apps
*below* metrics (journeys, surveys) and in Django itself — the admin's delete, the ORM's cascades (deleting a
journey map deletes its touchpoints' responses), the erasure of a customer — so explicit calls would need
journeys and surveys to call upward into metrics, against the one-way dependencies, and would still miss
every cascade and admin path. The receivers do not run our own logic either: they only bump a counter after
the commit; the recompute reads it explicitly (``metrics.services.recompute``). Anything beyond that counter
is called directly or requested by task name, never hung on a signal.

Only the models whose deletion or move changes a KPI are watched: responses (their answers go with them),
invitations (response rate), touchpoint events (conversion), transactions and customers (churn,
retention, CLV), personas, and edits of touchpoints and surveys. A receiver on a model makes Django load
the rows it cascades a deletion to, so answers are not watched (they are deleted with their response).
"""

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from metrics.models import InputChange

SINGLETON = 1


def inputs_version() -> int:
    """The current version of the inputs (0 before any change was recorded)."""
    return InputChange.objects.filter(pk=SINGLETON).values_list("version", flat=True).first() or 0


def inputs_changed(reason: str) -> None:
    """Bump the version now (in the caller's transaction, if any)."""
    values = {"changed_at": timezone.now(), "reason": reason[:200]}
    if InputChange.objects.filter(pk=SINGLETON).update(version=F("version") + 1, **values):
        return
    try:
        with transaction.atomic():
            InputChange.objects.create(pk=SINGLETON, version=1, **values)
    except IntegrityError:  # created meanwhile by another transaction
        InputChange.objects.filter(pk=SINGLETON).update(version=F("version") + 1, **values)


class _Bump:
    """The on-commit callback; one per transaction however many rows it deletes."""

    def __init__(self, reason: str):
        self.reason = reason

    def __call__(self) -> None:
        inputs_changed(self.reason)


def _after_commit(reason: str) -> None:
    if connection.in_atomic_block and any(isinstance(item[1], _Bump) for item in connection.run_on_commit):
        return
    transaction.on_commit(_Bump(reason))


def _deleted(sender, **kwargs) -> None:
    _after_commit(f"{sender._meta.verbose_name} deleted")


# The fields of an edited row that move KPIs between scopes; a save naming none of them (``update_fields``)
# changes nothing the recompute reads.
MOVING_FIELDS = {"journeys.Touchpoint": {"stage", "channel"}, "surveys.Survey": {"touchpoint"}}


def _edited(sender, created: bool = False, raw: bool = False, update_fields=None, **kwargs) -> None:
    if created or raw:
        return
    if update_fields is not None and not set(update_fields) & MOVING_FIELDS[sender._meta.label]:
        return
    _after_commit(f"{sender._meta.verbose_name} changed")


def connect() -> None:
    from journeys.models import Customer, Persona, Touchpoint
    from metrics.models import TouchpointEvent, Transaction
    from surveys.models import Invitation, Response, Survey
    from voice.models import FeedbackItem

    inputs = (Response, Invitation, TouchpointEvent, Transaction, Customer, Persona, Touchpoint, Survey, FeedbackItem)
    for model in inputs:
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"metrics-input-deleted-{model._meta.label}")
    for model in (Touchpoint, Survey):
        post_save.connect(_edited, sender=model, dispatch_uid=f"metrics-input-edited-{model._meta.label}")
