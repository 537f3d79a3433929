"""Webhook subscriptions and their deliveries; the delivery rows are the source of truth for what is due.

Finished deliveries are purged after ``WEBHOOKS_RETENTION_DAYS``; which once-only events a subscription
got is kept apart, in the compact ``WebhookOnceEvent`` rows, so a purge never lets such an event repeat.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Event types subscribers can choose, with what they mean (shown in the UI and the API schema).
EVENT_TYPES = {
    "response.created": _("A survey response was submitted."),
    "response.detractor": _("A response has an NPS score of 0–6."),
    "campaign.completed": _("A campaign's e-mails are all sent, failed or suppressed (once per campaign)."),
    "kpi.target_crossed": _("A KPI target changed from met to missed or back."),
    "action.created": _("An action was created."),
    "action.overdue": _("An open action passed its due date (once per due date)."),
    "action.done": _("An action was marked done."),
    "topic.emerging": _("A feedback topic rose significantly in the last 30 days (once per topic and week)."),
}
# Sent on request from the UI/API to check a receiver; no subscription chooses it.
PING = "ping"
SECRET_PREFIX = "whsec_"  # noqa: S105 - a marker, not a secret


def new_webhook_secret() -> str:
    # 32 random bytes = 256 bits.
    return SECRET_PREFIX + secrets.token_urlsafe(32)


class WebhookSubscription(models.Model):
    name = models.CharField(_("name"), max_length=100)
    url = models.CharField(_("URL"), max_length=2000, help_text=_("http(s) URL the events are POSTed to."))
    secret = models.CharField(_("secret"), max_length=100, default=new_webhook_secret, editable=False)
    events = models.JSONField(_("events"), default=list)
    is_active = models.BooleanField(_("is active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("webhook subscription")

    def __str__(self) -> str:
        return self.name

    def wants(self, event_type: str) -> bool:
        return self.is_active and event_type in self.events


class WebhookDelivery(models.Model):
    """One event for one subscription, with the state of its attempts."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("subscription")
    )
    event_type = models.CharField(_("event type"), max_length=64)
    event_id = models.UUIDField(_("event id"))
    payload = models.JSONField(_("payload"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    # When a task was last queued for it (beat re-queues only after a while) and when a worker claimed it.
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("last status code"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    # Set when a data-subject erasure replaced the payload by a tombstone: never sent or redelivered again.
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            # An event reaches a subscription once (while its row is kept; see WebhookOnceEvent for longer).
            models.UniqueConstraint(fields=["subscription", "event_id"], name="one_delivery_per_event_and_subscription")
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due")]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.subscription_id} ({self.status})"


class WebhookOnceEvent(models.Model):
    """A once-only event (emitted with a key) that a subscription got; kept when its delivery is purged.

    Emitting the same key again (the daily overdue sweep, a campaign finishing twice) finds this row and sends
    nothing, however long ago the delivery was purged. It goes only with its subscription.
    """

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="once_events", verbose_name=_("subscription")
    )
    event_id = models.UUIDField(_("event id"))
    event_type = models.CharField(_("event type"), max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("once-only webhook event")
        constraints = [
            # event_id first: emitting looks up one event for a list of subscriptions.
            models.UniqueConstraint(fields=["event_id", "subscription"], name="one_once_event_per_subscription")
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id} → {self.subscription_id}"
