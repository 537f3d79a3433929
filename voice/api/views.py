"""The Voice API: ``/api/v1/feedback/`` (list, bulk upsert by external id) and ``/api/v1/topics/``.

Scopes ``feedback:read`` / ``feedback:write``; department members read the items of their department's
touchpoints (others are not found), and cannot write.
"""

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from cxportal.actor import request_person
from cxportal.api.filtering import allowed_query_params, check_query_params
from journeys.models import Channel, Language
from voice import selectors
from voice.models import FeedbackItem, Sentiment, Source, Topic
from voice.services import items as item_services


class SentimentSerializer(serializers.Serializer):
    label = serializers.ChoiceField(choices=Sentiment.choices)
    score = serializers.FloatField(min_value=-1, max_value=1)


class TopicRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()


class FeedbackItemSerializer(serializers.ModelSerializer):
    customer = serializers.SerializerMethodField()
    sentiment = serializers.SerializerMethodField()
    topics = serializers.SerializerMethodField()

    class Meta:
        model = FeedbackItem
        fields = [
            "id",
            "external_id",
            "text",
            "language",
            "channel",
            "source",
            "touchpoint",
            "customer",
            "response",
            "score",
            "occurred_at",
            "sentiment",
            "topics",
            "analysed_at",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True, help_text="The customer's external id."))
    def get_customer(self, item) -> str | None:
        return item.customer.external_id if item.customer_id else None

    @extend_schema_field(SentimentSerializer(allow_null=True))
    def get_sentiment(self, item) -> dict | None:
        if not item.sentiment:
            return None
        return {"label": item.sentiment, "score": item.sentiment_score}

    @extend_schema_field(TopicRefSerializer(many=True))
    def get_topics(self, item) -> list[dict]:
        return [{"id": t.pk, "label": t.display_label} for t in item.topics.all()]


class FeedbackBulkRowSerializer(serializers.Serializer):
    """One item of a bulk upsert; a known external id replaces the stored item's fields."""

    external_id = serializers.CharField(max_length=100)
    text = serializers.CharField(max_length=item_services.MAX_TEXT)
    language = serializers.ChoiceField(
        choices=Language.choices, allow_null=True, required=False, help_text="null: detected from the text."
    )
    channel = serializers.ChoiceField(choices=Channel.choices, required=False, allow_blank=True, allow_null=True)
    touchpoint = serializers.IntegerField(required=False, allow_null=True, help_text="Touchpoint id.")
    customer = serializers.CharField(required=False, allow_null=True, help_text="The customer's external id.")
    occurred_at = serializers.DateTimeField(required=False, allow_null=True, help_text="Default: now.")
    source = serializers.ChoiceField(
        choices=[c for c in Source.choices if c[0] != Source.SURVEY], required=False, allow_null=True
    )


class FeedbackBulkErrorSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="Position of the row in the request body, from 0.")
    external_id = serializers.CharField(allow_null=True)
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class FeedbackBulkResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    errors = FeedbackBulkErrorSerializer(many=True)


class FeedbackBulkRefusedSerializer(FeedbackBulkResultSerializer):
    detail = serializers.CharField()
    created = serializers.IntegerField(required=False)
    updated = serializers.IntegerField(required=False)
    errors = FeedbackBulkErrorSerializer(many=True, required=False)


class FeedbackFilter(filters.FilterSet):
    external_id = filters.CharFilter()
    external_id__startswith = filters.CharFilter(field_name="external_id", lookup_expr="startswith")
    touchpoint = filters.NumberFilter(field_name="touchpoint")
    stage = filters.NumberFilter(field_name="touchpoint__stage")
    map = filters.NumberFilter(field_name="touchpoint__stage__journey_map")
    persona = filters.NumberFilter(field_name="customer__persona")
    channel = filters.ChoiceFilter(choices=Channel.choices)
    source = filters.ChoiceFilter(choices=Source.choices)
    sentiment = filters.ChoiceFilter(choices=Sentiment.choices)
    topic = filters.NumberFilter(method="filter_topic")
    language = filters.ChoiceFilter(choices=Language.choices)
    occurred_at__gte = filters.IsoDateTimeFilter(field_name="occurred_at", lookup_expr="gte")
    occurred_at__lte = filters.IsoDateTimeFilter(field_name="occurred_at", lookup_expr="lte")

    class Meta:
        model = FeedbackItem
        fields = []

    def filter_topic(self, queryset, name, value):
        return queryset.filter(topics=int(value))


class FeedbackViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Feedback items from every channel with their sentiment and topics."""

    api_area = "feedback"
    member_access = "read"
    serializer_class = FeedbackItemSerializer
    filterset_class = FeedbackFilter
    ordering_fields = ["occurred_at", "created_at", "sentiment_score"]

    def get_queryset(self):
        items = FeedbackItem.objects.select_related("customer").prefetch_related(
            Prefetch("topics", queryset=Topic.objects.order_by("label", "pk"))
        )
        return selectors.items_visible_to(user=request_person(self.request), items=items)

    @extend_schema(
        summary="Create or update up to 10,000 feedback items by external id",
        description=(
            "The body is a JSON list of items from other channels (tickets, reviews, …). Known external ids are "
            "updated, the others created; new and changed texts are analysed by the worker. All or nothing: any "
            "row with an error stores nothing and answers 400 with every row's errors, unless `partial=true`, "
            "which stores the valid rows and returns the errors with 200."
        ),
        parameters=[
            OpenApiParameter(
                "partial", OpenApiTypes.BOOL, description="Store the valid rows even when others have errors."
            )
        ],
        request=FeedbackBulkRowSerializer(many=True),
        responses={
            200: FeedbackBulkResultSerializer,
            400: OpenApiResponse(FeedbackBulkRefusedSerializer, description="Nothing was stored."),
        },
    )
    @action(detail=False, methods=["post"], url_path="bulk", filter_backends=[], pagination_class=None)
    def bulk(self, request):
        partial = str(request.query_params.get("partial", "")).lower() in ("1", "true", "yes")
        result = item_services.feedback_upsert(rows=request.data, partial=partial)
        if result.ids:
            from voice.services.queueing import analysis_request

            analysis_request()
        return Response({"created": result.created, "updated": result.updated, "errors": result.errors})


class TopicSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="topic.pk")
    key = serializers.CharField(source="topic.key")
    label = serializers.CharField(source="topic.display_label")
    language = serializers.CharField(source="topic.language")
    pinned = serializers.BooleanField(source="topic.pinned")
    count = serializers.IntegerField(help_text="Items with this topic.")
    negative = serializers.IntegerField(help_text="Of them negative.")
    negative_share = serializers.FloatField(allow_null=True, help_text="% negative.")
    trend = serializers.SerializerMethodField()

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "direction": {"type": "string", "enum": ["rising", "falling", "flat"]},
                "current": {"type": "integer"},
                "previous": {"type": "integer"},
                "delta": {"type": "number", "nullable": True},
                "p_value": {"type": "number", "nullable": True},
                "significant": {"type": "boolean"},
            },
        }
    )
    def get_trend(self, stats) -> dict:
        return {
            "direction": stats.direction,
            "current": stats.current,
            "previous": stats.previous,
            **stats.change.as_dict(),
        }


TOPIC_FILTERS = [
    name for name in FeedbackFilter.base_filters if name not in ("topic", "external_id", "external_id__startswith")
]
TOPIC_ORDERINGS = {
    "count": lambda s: (s.count, s.topic.display_label),
    "negative_share": lambda s: (s.negative_share if s.negative_share is not None else -1, s.topic.display_label),
    "label": lambda s: s.topic.display_label.casefold(),
}


class TopicViewSet(viewsets.GenericViewSet):
    """Topics with their volume, negative share and trend (share of items in the last 30 days against the 30
    days before, two-proportion z-test); counted over the items the caller may read that match the filters."""

    api_area = "feedback"
    member_access = "read"
    serializer_class = TopicSerializer
    filter_backends = []

    def get_queryset(self):
        return Topic.objects.all()

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "ordering",
                str,
                enum=[f"{sign}{name}" for name in TOPIC_ORDERINGS for sign in ("", "-")],
                description="Default: -count (largest first).",
            ),
            *[
                OpenApiParameter(name, OpenApiTypes.DATETIME if name.startswith("occurred_at") else str)
                for name in TOPIC_FILTERS
            ],
        ]
    )
    def list(self, request):
        check_query_params(request, allowed_query_params(self, [*TOPIC_FILTERS, "ordering"]))
        items = selectors.items_visible_to(user=request_person(request))
        filterset = FeedbackFilter(
            {k: v for k, v in request.query_params.items() if k in TOPIC_FILTERS}, queryset=items, request=request
        )
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        stats = selectors.topic_stats(items=filterset.qs, now=timezone.now())
        ordering = request.query_params.get("ordering", "-count")
        if ordering.lstrip("-") not in TOPIC_ORDERINGS:
            raise ValidationError(
                {"ordering": [_("Order by one of: %(names)s.") % {"names": ", ".join(TOPIC_ORDERINGS)}]}
            )
        stats.sort(key=TOPIC_ORDERINGS[ordering.lstrip("-")], reverse=ordering.startswith("-"))
        page = self.paginate_queryset(stats)
        return self.get_paginated_response(TopicSerializer(page, many=True).data)


def register(router) -> None:
    router.register("feedback", FeedbackViewSet, basename="feedback")
    router.register("topics", TopicViewSet, basename="topic")
