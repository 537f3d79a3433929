"""API for personas and customers (the people side of journeys)."""

from rest_framework import serializers

from journeys import services
from journeys.api.views import JourneysViewSet
from journeys.models import Customer, Persona


class PersonaSerializer(serializers.ModelSerializer):
    class Meta:
        model = Persona
        fields = [
            "id",
            "name",
            "role",
            "description",
            "goals",
            "challenges",
            "quote",
            "segment_rule",
            "created_at",
            "updated_at",
        ]


class CustomerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Customer
        fields = [
            "id",
            "external_id",
            "email",
            "name",
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


class PersonaViewSet(JourneysViewSet):
    queryset = Persona.objects.all()
    serializer_class = PersonaSerializer
    create_service = services.persona_create
    update_fields = ["name", "role", "description", "goals", "challenges", "quote", "segment_rule"]
    filterset_fields = ["name"]
    ordering_fields = ["name", "created_at"]


class CustomerViewSet(JourneysViewSet):
    member_access = None  # personal data: CX managers and integrators only
    queryset = Customer.objects.all()
    serializer_class = CustomerSerializer
    create_service = services.customer_create
    update_fields = [
        "email",
        "name",
        "language",
        "persona",
        "attributes",
        "acquired_at",
        "churned_at",
        "unsubscribed_at",
        "do_not_contact",
    ]
    filterset_fields = ["persona", "language", "external_id", "email", "do_not_contact"]
    ordering_fields = ["name", "external_id", "acquired_at", "created_at"]


def register(router) -> None:
    router.register("personas", PersonaViewSet, basename="persona")
    router.register("customers", CustomerViewSet, basename="customer")
