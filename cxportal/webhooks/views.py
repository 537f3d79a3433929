"""The webhooks settings pages for CX managers: subscriptions, secret, test event, delivery log."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cxportal import roles
from cxportal.errors import ApplicationError, form_add_errors
from cxportal.webhooks import retention, selectors, services
from cxportal.webhooks.delivery import USER_AGENT
from cxportal.webhooks.forms import WebhookSubscriptionForm
from cxportal.webhooks.models import WebhookDelivery, WebhookSubscription

FIELDS = ["name", "url", "events", "is_active"]


@roles.manager_required
def subscription_list(request):
    return render(request, "webhooks/subscription_list.html", {"subscriptions": selectors.webhook_subscription_list()})


@roles.manager_required
def subscription_create(request):
    form = WebhookSubscriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            subscription = services.webhook_subscription_create(**form.cleaned_data, by=request.user)
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(
                request, _("Webhook “%(name)s” created. Give its secret to the receiver.") % {"name": subscription}
            )
            return redirect("webhooks:subscription_detail", subscription.pk)
    return render(request, "webhooks/subscription_form.html", {"form": form})


@roles.manager_required
def subscription_edit(request, subscription_id: int):
    subscription = get_object_or_404(WebhookSubscription, pk=subscription_id)
    form = WebhookSubscriptionForm(request.POST or None, initial={f: getattr(subscription, f) for f in FIELDS})
    if request.method == "POST" and form.is_valid():
        try:
            services.webhook_subscription_update(subscription=subscription, data=form.cleaned_data)
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, _("Webhook saved."))
            return redirect("webhooks:subscription_detail", subscription.pk)
    return render(request, "webhooks/subscription_form.html", {"form": form, "subscription": subscription})


@roles.manager_required
def subscription_detail(request, subscription_id: int):
    subscription = get_object_or_404(WebhookSubscription, pk=subscription_id)
    deliveries = selectors.webhook_delivery_list(subscription=subscription)
    status = request.GET.get("status", "")
    if status in WebhookDelivery.Status.values:
        deliveries = deliveries.filter(status=status)
    page = Paginator(deliveries, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "webhooks/subscription_detail.html",
        {
            "subscription": subscription,
            "page": page,
            "status": status,
            "statuses": WebhookDelivery.Status.choices,
            "user_agent": USER_AGENT,
            "timeout": settings.WEBHOOKS_TIMEOUT_SECONDS,
            "max_attempts": settings.WEBHOOKS_MAX_ATTEMPTS,
            "retention_days": retention.webhook_retention_days(),
        },
    )


@roles.manager_required
def subscription_delete(request, subscription_id: int):
    subscription = get_object_or_404(WebhookSubscription, pk=subscription_id)
    if request.method == "POST":
        services.webhook_subscription_delete(subscription=subscription)
        messages.success(request, _("Webhook “%(name)s” deleted with its delivery log.") % {"name": subscription})
        return redirect("webhooks:subscription_list")
    return render(request, "webhooks/subscription_confirm_delete.html", {"subscription": subscription})


@roles.manager_required
@require_POST
def secret_rotate(request, subscription_id: int):
    subscription = get_object_or_404(WebhookSubscription, pk=subscription_id)
    services.webhook_secret_rotate(subscription=subscription)
    messages.success(request, _("New secret generated; the old one no longer verifies. Update the receiver."))
    return redirect("webhooks:subscription_detail", subscription.pk)


@roles.manager_required
@require_POST
def subscription_ping(request, subscription_id: int):
    subscription = get_object_or_404(WebhookSubscription, pk=subscription_id)
    try:
        services.webhook_ping(subscription=subscription)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Test event queued; its outcome appears in the delivery log."))
    return redirect("webhooks:subscription_detail", subscription.pk)


@roles.manager_required
@require_POST
def delivery_redeliver(request, delivery_id: int):
    delivery = get_object_or_404(WebhookDelivery, pk=delivery_id)
    try:
        services.webhook_delivery_redeliver(delivery=delivery)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Delivery %(id)s (%(event)s) queued again.") % {"id": delivery.pk, "event": delivery.event_type}
        )
    return redirect("webhooks:subscription_detail", delivery.subscription_id)
