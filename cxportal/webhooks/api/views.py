from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action as route
from rest_framework.response import Response

from cxportal.actor import request_person
from cxportal.webhooks import selectors, services
from cxportal.webhooks.api import serializers


class WebhookSubscriptionViewSet(viewsets.ModelViewSet):
    """Webhook subscriptions (CX managers and keys with the webhooks scope); the secret is shown on create
    and by ``rotate-secret`` only."""

    api_area = "webhooks"
    member_access = None
    serializer_class = serializers.WebhookSubscriptionSerializer
    filterset_fields = ["is_active"]
    ordering_fields = ["name", "created_at"]

    def get_queryset(self):
        return selectors.webhook_subscription_list()

    @extend_schema(responses={201: serializers.WebhookSubscriptionWithSecretSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        subscription = services.webhook_subscription_create(**serializer.validated_data, by=request_person(request))
        body = serializers.WebhookSubscriptionWithSecretSerializer(subscription).data
        return Response(body, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer):
        serializer.instance = services.webhook_subscription_update(
            subscription=serializer.instance, data=dict(serializer.validated_data)
        )

    def perform_destroy(self, instance):
        services.webhook_subscription_delete(subscription=instance)

    @extend_schema(request=None, responses=serializers.WebhookSubscriptionWithSecretSerializer)
    @route(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        """Replace the signing secret; attempts from now on are signed with the new one."""
        subscription = services.webhook_secret_rotate(subscription=self.get_object())
        return Response(serializers.WebhookSubscriptionWithSecretSerializer(subscription).data)

    @extend_schema(request=None, responses={202: serializers.WebhookDeliverySerializer})
    @route(detail=True, methods=["post"])
    def ping(self, request, pk=None):
        """Send a test event (``ping``) to this subscription now."""
        delivery = services.webhook_ping(subscription=self.get_object())
        return Response(serializers.WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses=serializers.WebhookDeliverySerializer(many=True), filters=False)
    @route(detail=True, methods=["get"], filter_backends=[])
    def deliveries(self, request, pk=None):
        """The delivery log of this subscription, newest first."""
        page = self.paginate_queryset(selectors.webhook_delivery_list(subscription=self.get_object()))
        return self.get_paginated_response(serializers.WebhookDeliverySerializer(page, many=True).data)


class WebhookDeliveryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Webhook deliveries of all subscriptions, newest first; ``redeliver`` sends one again."""

    api_area = "webhooks"
    member_access = None
    serializer_class = serializers.WebhookDeliverySerializer
    filterset_fields = ["subscription", "status", "event_type"]
    ordering_fields = ["created_at", "next_attempt_at"]

    def get_queryset(self):
        return selectors.webhook_delivery_list()

    @extend_schema(
        request=None,
        responses={
            202: serializers.WebhookDeliverySerializer,
            409: OpenApiResponse(description="The delivery's data was erased (`erased_at` is set); it is not sent."),
        },
    )
    @route(detail=True, methods=["post"])
    def redeliver(self, request, pk=None):
        """Send the same event (same id and payload) again now, with a fresh count of attempts.

        A delivery whose data was erased on a data subject's request (``erased_at``) answers 409.
        """
        try:
            delivery = services.webhook_delivery_redeliver(delivery=self.get_object())
        except services.DeliveryErased as exc:
            return Response({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
        return Response(serializers.WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)
