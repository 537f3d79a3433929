"""API for personas and customers (the people side of journeys)."""

from django.core.exceptions import ValidationError
from django.db.models import F, FloatField, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from journeys import services
from journeys.api.views import JourneysViewSet
from journeys.models import Customer, Language, Persona
from journeys.services.customers import MAX_ROWS


@extend_schema_field(
    {"type": "object", "additionalProperties": {"type": "string"}, "example": {"Company size": "200–500"}}
)
class AttributesField(serializers.JSONField):
    """Flat ``{name: text}``; the service checks the shape, so the API and the pages share one rule."""


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {"oneOf": [{"type": "string"}, {"type": "number"}]},
        "example": {"segment": "manufacturing"},
    }
)
class SegmentRuleField(serializers.JSONField):
    """Flat ``{customer attribute: value}``; a customer belongs to the persona when every pair matches."""


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {"oneOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"}]},
        "example": {"segment": "manufacturing", "region": "south"},
    }
)
class CustomerAttributesField(serializers.JSONField):
    """Flat ``{name: value}``; written values are merged into the stored ones, ``null`` removes a key."""


@extend_schema_field(
    {"type": "array", "items": {"$ref": "#/components/schemas/ChannelEnum"}, "example": ["email", "phone"]}
)
class ChannelsField(serializers.ListField):
    """Channel identifiers; the service refuses unknown ones."""

    child = serializers.CharField()


class PersonaSerializer(serializers.ModelSerializer):
    photo = serializers.SerializerMethodField()
    preferred_channels = ChannelsField(required=False)
    attributes = AttributesField(required=False)
    segment_rule = SegmentRuleField(required=False)

    class Meta:
        model = Persona
        fields = [
            "id",
            "name",
            "photo",
            "role",
            "age_range",
            "gender",
            "location",
            "occupation",
            "description",
            "goals",
            "challenges",
            "preferences",
            "motivations",
            "preferred_channels",
            "quote",
            "attributes",
            "segment_rule",
            "created_at",
            "updated_at",
        ]
        # Uniqueness (case-insensitive) is the service's rule; the model's validator would run a second query.
        extra_kwargs = {"name": {"validators": []}}

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_photo(self, persona) -> str | None:
        """URL of the persona's photo (a PNG), or null."""
        if not persona.photo:
            return None
        url = reverse("journeys:persona_photo", args=[persona.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class CustomerSerializer(serializers.ModelSerializer):
    attributes = CustomerAttributesField(required=False)

    class Meta:
        model = Customer
        fields = [
            "id",
            "external_id",
            "email",
            "name",
            "contact_name",
            "language",
            "persona",
            "attributes",
            "acquired_at",
            "churned_at",
            "unsubscribed_at",
            "do_not_contact",
            "created_at",
            "updated_at",
        ]


class CustomerBulkRowSerializer(serializers.Serializer):
    """One customer of a bulk upsert; fields left out keep the stored value."""

    external_id = serializers.CharField(max_length=100)
    email = serializers.EmailField(required=False, allow_blank=True)
    name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    contact_name = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="The person invitations greet by name."
    )
    language = serializers.ChoiceField(choices=Language.choices, required=False)
    persona = serializers.IntegerField(required=False, allow_null=True, help_text="Persona id.")
    acquired_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text="ISO date or date-time; naive ones are in the site time zone."
    )
    churned_at = serializers.DateTimeField(required=False, allow_null=True)
    unsubscribed_at = serializers.DateTimeField(required=False, allow_null=True)
    do_not_contact = serializers.BooleanField(required=False)
    attributes = CustomerAttributesField(required=False)


class CustomerBulkErrorSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="Position of the row in the request body, from 0.")
    external_id = serializers.CharField(allow_null=True)
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class CustomerBulkResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    errors = CustomerBulkErrorSerializer(many=True)


class CustomerBulkRefusedSerializer(CustomerBulkResultSerializer):
    detail = serializers.CharField()
    created = serializers.IntegerField(required=False)
    updated = serializers.IntegerField(required=False)
    errors = CustomerBulkErrorSerializer(many=True, required=False)


class PersonaViewSet(JourneysViewSet):
    queryset = Persona.objects.all()
    serializer_class = PersonaSerializer
    create_service = services.persona_create
    filterset_fields = ["name"]
    ordering_fields = ["name", "created_at"]

    def perform_update(self, serializer):
        serializer.instance = services.persona_update(persona=serializer.instance, data=serializer.validated_data)

    def perform_destroy(self, instance):
        services.persona_delete(persona=instance)


class CustomerViewSet(JourneysViewSet):
    member_access = None  # personal data: CX managers and integrators only
    queryset = Customer.objects.all()
    serializer_class = CustomerSerializer
    create_service = services.customer_create
    filterset_fields = ["persona", "language", "external_id", "email", "do_not_contact"]
    # churn_risk: the latest churn model's probability (decisions.ChurnRisk); customers without one sort as -1,
    # so "-churn_risk" lists the riskiest first and the unscored last on every database.
    ordering_fields = ["name", "external_id", "acquired_at", "created_at", "churn_risk"]

    def get_queryset(self):
        return Customer.objects.annotate(
            churn_risk=Coalesce(F("churn_score__probability"), Value(-1.0), output_field=FloatField())
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        if data.get("external_id", serializer.instance.external_id) != serializer.instance.external_id:
            raise ValidationError({"external_id": [_("The external id cannot be changed.")]})
        serializer.instance = services.customer_update(customer=serializer.instance, data=data)

    @extend_schema(
        summary="Create or update up to 10,000 customers by external id",
        description=(
            "The body is a JSON list of customers. Known external ids are updated (fields left out keep their "
            "value; attributes are merged, null removes a key), the others created. All or nothing: any row "
            "with an error stores nothing and answers 400 with every row's errors, unless `partial=true`, "
            f"which stores the valid rows and returns the errors with 200. More than {MAX_ROWS:,} rows, or "
            "a body that is not a list, is a 400."
        ),
        parameters=[
            OpenApiParameter(
                "partial", OpenApiTypes.BOOL, description="Store the valid rows even when others have errors."
            )
        ],
        request=CustomerBulkRowSerializer(many=True),
        responses={
            200: CustomerBulkResultSerializer,
            400: OpenApiResponse(CustomerBulkRefusedSerializer, description="Nothing was stored."),
        },
    )
    @action(detail=False, methods=["post"], url_path="bulk")
    def bulk(self, request):
        partial = str(request.query_params.get("partial", "")).lower() in ("1", "true", "yes")
        result = services.customers_upsert(rows=request.data, partial=partial)
        return Response({"created": result.created, "updated": result.updated, "errors": result.errors})


def register(router) -> None:
    router.register("personas", PersonaViewSet, basename="persona")
    router.register("customers", CustomerViewSet, basename="customer")
