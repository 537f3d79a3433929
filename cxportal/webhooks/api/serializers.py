from rest_framework import serializers

from cxportal.webhooks.models import EVENT_TYPES, WebhookDelivery, WebhookSubscription


class WebhookSubscriptionSerializer(serializers.ModelSerializer):
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=list(EVENT_TYPES)),
        allow_empty=False,
        help_text="Event types to receive: " + ", ".join(EVENT_TYPES) + ".",
    )

    class Meta:
        model = WebhookSubscription
        fields = ["id", "name", "url", "events", "is_active", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]


class WebhookSubscriptionWithSecretSerializer(WebhookSubscriptionSerializer):
    """Returned on create and by rotate-secret only: the key receivers verify signatures with."""

    secret = serializers.CharField(read_only=True)

    class Meta(WebhookSubscriptionSerializer.Meta):
        fields = [*WebhookSubscriptionSerializer.Meta.fields, "secret"]


class WebhookDeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "subscription",
            "event_type",
            "event_id",
            "payload",
            "status",
            "attempts",
            "next_attempt_at",
            "last_attempt_at",
            "last_status_code",
            "last_error",
            "created_at",
            "delivered_at",
            "erased_at",
        ]
        read_only_fields = fields
