"""Every write of webhooks: subscriptions, emitting events, attempting and redelivering deliveries.

The delivery rows are the source of truth. ``webhook_emit`` writes one row per interested subscription in
the caller's transaction and queues an immediate attempt when it commits; beat's ``webhooks.deliver_due``
queues whatever is due (retries, and attempts whose task was lost), so a broker outage delays a delivery
but never loses it. A worker claims a row with a conditional UPDATE before it sends, so no attempt is sent
twice at the same time; a claim older than ``CLAIM_TIMEOUT`` (a worker that died) is taken over.
An event emitted with a key ("once per …") is also recorded in a ``WebhookOnceEvent`` row per subscription,
which outlives the purge of finished deliveries (``retention.py``), so it is never sent twice.
"""

import json
import logging
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cxportal.errors import ApplicationError
from cxportal.webhooks.delivery import UnsafeTarget, attempt_send, target_resolve
from cxportal.webhooks.models import (
    EVENT_TYPES,
    PING,
    WebhookDelivery,
    WebhookOnceEvent,
    WebhookSubscription,
    new_webhook_secret,
)

logger = logging.getLogger(__name__)

CLAIM_TIMEOUT = timedelta(minutes=5)
REQUEUE_AFTER = timedelta(minutes=10)
DUE_BATCH = 500
# Event ids of "once per …" events are derived from their key, so emitting twice yields the same id.
EVENT_NAMESPACE = uuid.UUID("5d0c7f2e-7a51-4f0e-9a57-3c1d1f0b9e21")


class DeliveryErased(ApplicationError):
    """The delivery's data was erased on a data subject's request; it cannot be sent again."""

    def __init__(self):
        super().__init__(
            _(
                "This delivery cannot be sent again: the customer's data in it was erased on their request. "
                "Only a tombstone of the event is kept."
            )
        )


# ---------------------------------------------------------------- subscriptions


def _subscription_validate(subscription: WebhookSubscription) -> None:
    errors: dict[str, list[str]] = {}
    subscription.name = (subscription.name or "").strip()
    subscription.url = (subscription.url or "").strip()
    if not subscription.name:
        errors["name"] = [_("A name is required.")]
    if not subscription.url:
        errors["url"] = [_("A URL is required.")]
    elif len(subscription.url) > 2000:
        errors["url"] = [_("Keep the URL under 2000 characters.")]
    else:
        try:
            target_resolve(subscription.url)
        except UnsafeTarget as exc:
            errors["url"] = [str(exc)]
    events = subscription.events
    if not isinstance(events, list) or not all(isinstance(e, str) for e in events):
        errors["events"] = [_("Events must be a list of event names.")]
    else:
        unknown = sorted(set(events) - set(EVENT_TYPES))
        if not events:
            errors["events"] = [_("Choose at least one event.")]
        elif unknown:
            errors["events"] = [
                _("Unknown event(s): %(unknown)s. Known: %(known)s.")
                % {"unknown": ", ".join(unknown), "known": ", ".join(EVENT_TYPES)}
            ]
        else:
            subscription.events = [e for e in EVENT_TYPES if e in set(events)]
    if errors:
        raise ValidationError(errors)
    subscription.full_clean()


@transaction.atomic
def webhook_subscription_create(
    *, name: str, url: str, events: list[str], is_active: bool = True, by=None
) -> WebhookSubscription:
    """Subscribe a URL to events; its signing secret is generated (256 bits)."""
    subscription = WebhookSubscription(name=name, url=url, events=events, is_active=is_active, created_by=by)
    _subscription_validate(subscription)
    subscription.save()
    return subscription


@transaction.atomic
def webhook_subscription_update(*, subscription: WebhookSubscription, data: dict) -> WebhookSubscription:
    """Change name, URL, events or active flag; the URL is checked again."""
    subscription = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    changed = [f for f in ("name", "url", "events", "is_active") if f in data and getattr(subscription, f) != data[f]]
    if not changed:
        return subscription
    for field in changed:
        setattr(subscription, field, data[field])
    _subscription_validate(subscription)
    subscription.save(update_fields=[*changed, "updated_at"])
    if "is_active" in changed and subscription.is_active:
        # Deliveries that waited while it was off are due now.
        subscription.deliveries.filter(status=WebhookDelivery.Status.PENDING).update(
            next_attempt_at=timezone.now(), queued_at=None
        )
    return subscription


@transaction.atomic
def webhook_subscription_delete(*, subscription: WebhookSubscription) -> None:
    subscription.delete()


@transaction.atomic
def webhook_secret_rotate(*, subscription: WebhookSubscription) -> WebhookSubscription:
    """A new signing secret; attempts from now on are signed with it (the old one stops verifying)."""
    subscription.secret = new_webhook_secret()
    subscription.save(update_fields=["secret", "updated_at"])
    return subscription


# ---------------------------------------------------------------- emitting


def _envelope(*, event_type: str, event_id: uuid.UUID, data: dict) -> dict:
    envelope = {"id": str(event_id), "type": event_type, "created_at": timezone.now().isoformat(), "data": data}
    # Dates, decimals and UUIDs become JSON text now, so the stored payload is exactly what is sent.
    return json.loads(json.dumps(envelope, cls=DjangoJSONEncoder))


def _create_rows(model, rows: list) -> list:
    """Insert the rows; one that a unique constraint refuses is left out (the others are kept)."""
    try:
        with transaction.atomic():
            return model.objects.bulk_create(rows)
    except IntegrityError:
        # A concurrent emit of the same "once" event won for some subscription; keep the others.
        created = []
        for row in rows:
            try:
                with transaction.atomic():
                    row.save()
            except IntegrityError:
                continue
            created.append(row)
        return created


def webhook_emit(*, event_type: str, data: dict | Callable[[], dict], key: str | None = None) -> list[WebhookDelivery]:
    """Record the event for every active subscription of ``event_type``; attempts are queued on commit.

    Call it inside the transaction of the write it reports, so a rollback emits nothing (it opens no
    transaction of its own: with no subscriber it costs one query). ``data`` may
    be a function, called only when someone subscribed. With ``key`` the event happens once: its id is
    derived from the key, and a subscription that has that event already does not get it again, even
    long after its delivery was purged (``WebhookOnceEvent``).
    """
    if event_type not in EVENT_TYPES:
        raise ValueError(f"Unknown webhook event type {event_type!r}.")
    subscriptions = [s for s in WebhookSubscription.objects.filter(is_active=True) if event_type in s.events]
    if not subscriptions:
        return []
    event_id = uuid.uuid5(EVENT_NAMESPACE, f"{event_type}:{key}") if key else uuid.uuid4()
    if key:
        # The once-records, not the deliveries: those are purged after the retention period.
        done = set(
            WebhookOnceEvent.objects.filter(event_id=event_id, subscription__in=subscriptions).values_list(
                "subscription_id", flat=True
            )
        )
        subscriptions = [s for s in subscriptions if s.pk not in done]
        if not subscriptions:
            return []
    payload = _envelope(event_type=event_type, event_id=event_id, data=data() if callable(data) else data)
    if not key:
        return _deliveries_add(subscriptions=subscriptions, event_type=event_type, event_id=event_id, payload=payload)
    with transaction.atomic():  # the once-records and the deliveries are written together or not at all
        recorded = _create_rows(
            WebhookOnceEvent,
            [WebhookOnceEvent(subscription=s, event_id=event_id, event_type=event_type) for s in subscriptions],
        )
        subscriptions = [record.subscription for record in recorded]
        if not subscriptions:
            return []
        return _deliveries_add(subscriptions=subscriptions, event_type=event_type, event_id=event_id, payload=payload)


def _deliveries_add(*, subscriptions, event_type: str, event_id: uuid.UUID, payload: dict) -> list[WebhookDelivery]:
    now = timezone.now()
    rows = [
        WebhookDelivery(
            subscription=subscription,
            event_type=event_type,
            event_id=event_id,
            payload=payload,
            next_attempt_at=now,
            queued_at=now,
        )
        for subscription in subscriptions
    ]
    created = _create_rows(WebhookDelivery, rows)
    ids = [row.pk for row in created]
    if ids:
        transaction.on_commit(lambda: _queue_attempts(ids))
    return created


@transaction.atomic
def webhook_ping(*, subscription: WebhookSubscription) -> WebhookDelivery:
    """A test event (``ping``) for this subscription only, whatever events it chose."""
    if not subscription.is_active:
        raise ApplicationError(_("The subscription is inactive; activate it to send a test event."))
    event_id = uuid.uuid4()
    data = {"subscription": subscription.pk, "name": subscription.name, "message": "Test event from CX portal."}
    payload = _envelope(event_type=PING, event_id=event_id, data=data)
    (delivery,) = _deliveries_add(subscriptions=[subscription], event_type=PING, event_id=event_id, payload=payload)
    return delivery


# ---------------------------------------------------------------- delivering


def _queue_attempts(delivery_ids: list[int]) -> None:
    from cxportal.webhooks.tasks import deliver

    for position, delivery_id in enumerate(delivery_ids):
        try:
            deliver.delay(delivery_id)
        except Exception:  # noqa: BLE001 - a broker outage must not fail the caller; beat queues them later
            logger.warning("Could not queue webhook deliveries; beat will pick them up", exc_info=True)
            WebhookDelivery.objects.filter(pk__in=delivery_ids[position:]).update(queued_at=None)
            return


def retry_delay(attempts: int) -> timedelta:
    """Wait after the ``attempts``-th failed attempt: base, 2·base, 4·base …, capped."""
    seconds = settings.WEBHOOKS_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.WEBHOOKS_RETRY_MAX_SECONDS))


def _claim(delivery_id: int, now: datetime) -> bool:
    return bool(
        WebhookDelivery.objects.filter(
            pk=delivery_id,
            status=WebhookDelivery.Status.PENDING,
            next_attempt_at__lte=now,
            subscription__is_active=True,
            erased_at__isnull=True,
        )
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT))
        .update(claimed_at=now, attempts=F("attempts") + 1, last_attempt_at=now)
    )


def webhook_delivery_attempt(*, delivery_id: int) -> str | None:
    """Claim the delivery if it is due, POST it once and record the outcome; returns the new status.

    Returns None when there was nothing to do (not due, already delivered, or another worker has it).
    """
    now = timezone.now()
    if not _claim(delivery_id, now):
        return None
    delivery = WebhookDelivery.objects.select_related("subscription").filter(pk=delivery_id).first()
    if delivery is None:  # deleted with its subscription meanwhile
        return None
    result = attempt_send(
        url=delivery.subscription.url,
        secret=delivery.subscription.secret,
        event_type=delivery.event_type,
        event_id=str(delivery.event_id),
        payload=delivery.payload,
        timestamp=int(now.timestamp()),
    )
    finished = timezone.now()
    mine = WebhookDelivery.objects.filter(pk=delivery_id, claimed_at=now)
    common = {"claimed_at": None, "last_status_code": result.status_code}
    if result.ok:
        status = WebhookDelivery.Status.SUCCEEDED
        mine.update(status=status, delivered_at=finished, next_attempt_at=None, last_error="", **common)
    elif delivery.attempts >= settings.WEBHOOKS_MAX_ATTEMPTS:
        status = WebhookDelivery.Status.FAILED
        mine.update(status=status, next_attempt_at=None, last_error=result.error, **common)
        logger.warning("Webhook delivery %s failed after %s attempts: %s", delivery_id, delivery.attempts, result.error)
    else:
        status = WebhookDelivery.Status.PENDING
        mine.update(
            next_attempt_at=now + retry_delay(delivery.attempts), queued_at=None, last_error=result.error, **common
        )
    return status


def webhook_deliveries_queue_due(*, now: datetime | None = None) -> int:
    """Queue an attempt for every due delivery not queued recently (beat, every minute); returns how many."""
    now = now or timezone.now()
    due = (
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now, subscription__is_active=True
        )
        .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=now - REQUEUE_AFTER))
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT))
    )
    ids = list(due.order_by("next_attempt_at", "id").values_list("pk", flat=True)[:DUE_BATCH])
    if ids:
        WebhookDelivery.objects.filter(pk__in=ids).update(queued_at=now)
        _queue_attempts(ids)
    return len(ids)


@transaction.atomic
def webhook_delivery_redeliver(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send the same event (same id and payload) again now, with a fresh count of attempts."""
    delivery = WebhookDelivery.objects.select_for_update().select_related("subscription").get(pk=delivery.pk)
    now = timezone.now()
    if delivery.erased_at is not None:
        raise DeliveryErased()
    if not delivery.subscription.is_active:
        raise ApplicationError(_("The subscription is inactive; activate it to redeliver."))
    if delivery.claimed_at is not None and delivery.claimed_at >= now - CLAIM_TIMEOUT:
        raise ApplicationError(_("This delivery is being sent right now; try again in a moment."))
    delivery.status = WebhookDelivery.Status.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = now
    delivery.queued_at = now
    delivery.claimed_at = None
    delivery.delivered_at = None
    delivery.last_error = ""
    delivery.last_status_code = None
    delivery.save(
        update_fields=[
            "status",
            "attempts",
            "next_attempt_at",
            "queued_at",
            "claimed_at",
            "delivered_at",
            "last_error",
            "last_status_code",
        ]
    )
    transaction.on_commit(lambda: _queue_attempts([delivery.pk]))
    return delivery
