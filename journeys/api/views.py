from django.db.models import Prefetch
from rest_framework import viewsets

from cxportal.api import ServiceViewSetMixin
from journeys import services
from journeys.api import serializers
from journeys.models import JourneyMap, Stage, Touchpoint


class JourneysViewSet(ServiceViewSetMixin, viewsets.ModelViewSet):
    api_area = "journeys"
    member_access = "read"


class JourneyMapViewSet(JourneysViewSet):
    queryset = JourneyMap.objects.all()
    create_service = services.journey_map_create
    user_kwarg = "owner"
    update_fields = ["name", "kind", "goal", "scope", "status", "review_cadence_days", "reviewed_at"]
    filterset_fields = ["kind", "status", "personas"]
    ordering_fields = ["name", "created_at", "updated_at"]

    def get_queryset(self):
        maps = JourneyMap.objects.prefetch_related("personas")
        if self.action == "retrieve":
            return maps.prefetch_related(Prefetch("stages", queryset=Stage.objects.prefetch_related("touchpoints")))
        return maps

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.JourneyMapDetailSerializer
        return serializers.JourneyMapSerializer


class StageViewSet(JourneysViewSet):
    queryset = Stage.objects.all()
    serializer_class = serializers.StageSerializer
    create_service = services.stage_create
    update_fields = ["name", "description"]
    filterset_fields = ["journey_map"]
    ordering_fields = ["position", "name"]


class TouchpointViewSet(JourneysViewSet):
    queryset = Touchpoint.objects.select_related("stage")
    serializer_class = serializers.TouchpointSerializer
    create_service = services.touchpoint_create
    update_fields = [
        "name",
        "channel",
        "description",
        "customer_action",
        "thoughts",
        "emotion_score",
        "is_moment_of_truth",
    ]
    filterset_fields = ["stage", "stage__journey_map", "channel", "is_moment_of_truth"]
    ordering_fields = ["position", "name"]
