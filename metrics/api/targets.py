"""``/api/v1/kpi-targets/``: KPI targets, written through the same services as the UI."""

from rest_framework import serializers, viewsets

from cxportal.actor import request_person
from metrics.models import KpiTarget, ScopeType
from metrics.services import targets


class KpiTargetSerializer(serializers.ModelSerializer):
    # Validated against the registry by the service, so KPIs added later are accepted without a change here.
    kpi = serializers.CharField(max_length=32)
    scope_type = serializers.ChoiceField(choices=ScopeType.choices, default=ScopeType.COMPANY)
    scope_key = serializers.CharField(max_length=64, allow_blank=True, default="")

    class Meta:
        model = KpiTarget
        fields = [
            "id",
            "kpi",
            "scope_type",
            "scope_key",
            "comparison",
            "value",
            "notify",
            "open_action",
            "status",
            "status_value",
            "status_period",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "status_value", "status_period", "created_by", "created_at", "updated_at"]
        validators = []  # uniqueness is the service's rule, answered as a field error


class KpiTargetViewSet(viewsets.ModelViewSet):
    """Targets per KPI and scope; department members may read them."""

    api_area = "metrics"
    member_access = "read"
    serializer_class = KpiTargetSerializer
    queryset = KpiTarget.objects.order_by("pk")
    filterset_fields = ["kpi", "scope_type", "scope_key"]

    def perform_create(self, serializer):
        serializer.instance = targets.target_create(**serializer.validated_data, by=request_person(self.request))

    def perform_update(self, serializer):
        serializer.instance = targets.target_update(target=serializer.instance, data=dict(serializer.validated_data))

    def perform_destroy(self, instance):
        targets.target_delete(target=instance)
