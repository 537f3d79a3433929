from django.contrib import admin

from cxportal.webhooks.models import WebhookDelivery, WebhookOnceEvent, WebhookSubscription


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["name", "url", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "url"]
    # Writes go through the settings pages, which check the URL (SSRF guard); the secret stays there.
    fields = ["name", "url", "events", "is_active", "created_by", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["id", "subscription", "event_type", "status", "attempts", "last_status_code", "created_at"]
    list_filter = ["status", "event_type"]
    list_select_related = ["subscription"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(WebhookOnceEvent)
class WebhookOnceEventAdmin(admin.ModelAdmin):
    """Which once-only events each subscription got; deleting one lets that event be sent to it again."""

    list_display = ["event_type", "event_id", "subscription", "created_at"]
    list_filter = ["event_type"]
    list_select_related = ["subscription"]
    readonly_fields = [f.name for f in WebhookOnceEvent._meta.fields]

    def has_add_permission(self, request):
        return False
