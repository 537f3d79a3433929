"""`/api/v1/events/` and `/api/v1/transactions/`: bulk ingestion (POST a list) and filtered lists (GET)."""

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from metrics.models import TouchpointEvent, Transaction
from metrics.services import ingestion

_BEHAVIOUR = (
    "The body is a JSON list of at most {max:,} rows, identified by `external_id`. A row already stored with "
    "the same values is counted as unchanged (retries are safe); stored with different values it is an "
    "error (stored rows are never rewritten). `occurred_at` is ISO 8601 (naive values are in the site time "
    "zone) and must not be in the future. All or nothing: any row with an error stores nothing and answers "
    "400 with every row's errors, unless `partial=true`, which stores the valid rows and returns the errors "
    "with 200."
)


_CUSTOMER_HELP = "The customer's external id (not the customer's `id`)."
_DEPRECATED_HELP = "Deprecated: the same as `customer_external_id`, its older name."


class _CustomerExternalIdMixin(serializers.Serializer):
    customer_external_id = serializers.SlugRelatedField(
        source="customer", slug_field="external_id", read_only=True, allow_null=True, help_text=_CUSTOMER_HELP
    )
    customer = serializers.SlugRelatedField(
        slug_field="external_id", read_only=True, allow_null=True, help_text=_DEPRECATED_HELP
    )


class EventSerializer(_CustomerExternalIdMixin, serializers.ModelSerializer):
    class Meta:
        model = TouchpointEvent
        fields = [
            "id",
            "external_id",
            "touchpoint",
            "kind",
            "customer_external_id",
            "customer",
            "occurred_at",
            "created_at",
        ]


class TransactionSerializer(_CustomerExternalIdMixin, serializers.ModelSerializer):
    class Meta:
        model = Transaction
        fields = ["id", "external_id", "customer_external_id", "customer", "amount", "occurred_at", "created_at"]


class EventRowSerializer(serializers.Serializer):
    external_id = serializers.CharField(max_length=100)
    touchpoint = serializers.IntegerField(help_text="Touchpoint id.")
    kind = serializers.ChoiceField(choices=TouchpointEvent.Kind.choices)
    customer_external_id = serializers.CharField(allow_null=True, required=False, help_text=_CUSTOMER_HELP)
    occurred_at = serializers.DateTimeField()


class TransactionRowSerializer(serializers.Serializer):
    external_id = serializers.CharField(max_length=100)
    customer_external_id = serializers.CharField(help_text=_CUSTOMER_HELP)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, help_text='e.g. "120.00"')
    occurred_at = serializers.DateTimeField()


class IngestErrorSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="Position of the row in the request body, from 0.")
    external_id = serializers.CharField(allow_null=True)
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class IngestResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    errors = IngestErrorSerializer(many=True)


class IngestRefusedSerializer(serializers.Serializer):
    detail = serializers.CharField()
    created = serializers.IntegerField(required=False)
    unchanged = serializers.IntegerField(required=False)
    errors = IngestErrorSerializer(many=True, required=False)


class _Filter(django_filters.FilterSet):
    customer_external_id = django_filters.CharFilter(field_name="customer__external_id", help_text=_CUSTOMER_HELP)
    customer = django_filters.CharFilter(field_name="customer__external_id", help_text=_DEPRECATED_HELP)
    occurred_after = django_filters.IsoDateTimeFilter(field_name="occurred_at", lookup_expr="gte")
    occurred_before = django_filters.IsoDateTimeFilter(field_name="occurred_at", lookup_expr="lt")


class EventFilter(_Filter):
    class Meta:
        model = TouchpointEvent
        fields = ["external_id", "touchpoint", "kind", "customer_external_id", "customer"]


class TransactionFilter(_Filter):
    class Meta:
        model = Transaction
        fields = ["external_id", "customer_external_id", "customer"]


_PARTIAL = OpenApiParameter(
    "partial", OpenApiTypes.BOOL, description="Store the valid rows even when others have errors."
)


def _ingest_schema(row_serializer, what: str):
    return extend_schema(
        summary=f"Store up to {ingestion.MAX_ROWS:,} {what} by external id",
        description=_BEHAVIOUR.format(max=ingestion.MAX_ROWS),
        parameters=[_PARTIAL],
        request=row_serializer(many=True),
        responses={
            200: IngestResultSerializer,
            400: OpenApiResponse(IngestRefusedSerializer, description="Nothing was stored."),
        },
    )


class _IngestViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    api_area = "metrics"
    member_access = None  # raw customer-level data: CX managers and integrators only
    kind = ""
    ordering_fields = ["occurred_at", "created_at"]

    def create(self, request):
        partial = str(request.query_params.get("partial", "")).lower() in ("1", "true", "yes")
        result = ingestion.rows_ingest(kind=self.kind, rows=request.data, partial=partial)
        return Response(result.as_dict())


class EventViewSet(_IngestViewSet):
    """Touchpoint events (visits and conversions): the input of the conversion rate."""

    kind = ingestion.EVENTS
    queryset = TouchpointEvent.objects.select_related("customer")
    serializer_class = EventSerializer
    filterset_class = EventFilter

    @_ingest_schema(EventRowSerializer, "touchpoint events")
    def create(self, request):
        return super().create(request)


class TransactionViewSet(_IngestViewSet):
    """Revenue transactions: the input of the customer lifetime value."""

    kind = ingestion.TRANSACTIONS
    queryset = Transaction.objects.select_related("customer")
    serializer_class = TransactionSerializer
    filterset_class = TransactionFilter

    @_ingest_schema(TransactionRowSerializer, "transactions")
    def create(self, request):
        return super().create(request)
