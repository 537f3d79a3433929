"""The journey-map API: maps (detail = the whole map), stages, touchpoints, lanes, cells and findings.

Every write goes through a service with ``by`` = the person (None for an API key), so the map's
history records it and the rules hold exactly as in the UI.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cxportal.actor import request_person
from cxportal.api.viewsets import ServiceViewSetMixin
from journeys import selectors, services
from journeys.api import serializers
from journeys.models import JourneyMap, Lane, LaneCell, Opportunity, PainPoint, Stage, Touchpoint


class JourneysViewSet(ServiceViewSetMixin, viewsets.ModelViewSet):
    api_area = "journeys"
    member_access = "read"


class _ByServiceMixin:
    """Creates, updates and deletes through services that take ``by``."""

    user_kwarg = "by"
    update_service = None  # (instance_kwarg, service)
    delete_service = None

    def perform_update(self, serializer):
        kwarg, service = self.update_service
        serializer.instance = service(
            **{kwarg: serializer.instance}, data=dict(serializer.validated_data), by=request_person(self.request)
        )

    def perform_destroy(self, instance):
        kwarg, service = self.delete_service
        service(**{kwarg: instance}, by=request_person(self.request))


class JourneyMapViewSet(JourneysViewSet):
    queryset = JourneyMap.objects.all()
    create_service = services.journey_map_create
    user_kwarg = "owner"
    filterset_fields = ["kind", "status", "personas"]
    ordering_fields = ["name", "created_at", "updated_at"]

    def get_queryset(self):
        if self.action == "retrieve":
            return selectors.journey_map_full_queryset()
        return JourneyMap.objects.prefetch_related("personas")

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.JourneyMapDetailSerializer
        return serializers.JourneyMapSerializer

    def perform_update(self, serializer):
        serializer.instance = services.journey_map_update(
            journey_map=serializer.instance, data=dict(serializer.validated_data), by=request_person(self.request)
        )

    @extend_schema(request=serializers.StageOrderSerializer, responses=serializers.StageOrderSerializer)
    @action(detail=True, methods=["post"], url_path="reorder-stages")
    def reorder_stages(self, request, pk=None):
        """Put the map's stages in the given order; the list must name every stage of the map once."""
        journey_map = self.get_object()
        body = serializers.StageOrderSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ordered = services.stage_reorder(
            journey_map=journey_map, stage_ids=body.validated_data["stages"], by=request_person(request)
        )
        return Response({"stages": [stage.pk for stage in ordered]})

    @extend_schema(request=serializers.LaneOrderSerializer, responses=serializers.LaneOrderSerializer)
    @action(detail=True, methods=["post"], url_path="reorder-lanes")
    def reorder_lanes(self, request, pk=None):
        """Put the map's lanes in the given order; the list must name every lane of the map once."""
        journey_map = self.get_object()
        body = serializers.LaneOrderSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ordered = services.lane_reorder(
            journey_map=journey_map, lane_ids=body.validated_data["lanes"], by=request_person(request)
        )
        return Response({"lanes": [lane.pk for lane in ordered]})


class StageViewSet(_ByServiceMixin, JourneysViewSet):
    queryset = Stage.objects.all()
    serializer_class = serializers.StageSerializer
    create_service = services.stage_create
    update_service = ("stage", services.stage_update)
    delete_service = ("stage", services.stage_delete)
    filterset_fields = ["journey_map"]
    ordering_fields = ["position", "name"]

    def get_queryset(self):
        return Stage.objects.select_related("journey_map")


class TouchpointViewSet(_ByServiceMixin, JourneysViewSet):
    """Touchpoints; changing ``stage`` moves the touchpoint to the end of that stage (same map only)."""

    queryset = Touchpoint.objects.all()
    serializer_class = serializers.TouchpointSerializer
    create_service = services.touchpoint_create
    update_service = ("touchpoint", services.touchpoint_update)
    delete_service = ("touchpoint", services.touchpoint_delete)
    filterset_fields = ["stage", "stage__journey_map", "channel", "is_moment_of_truth"]
    ordering_fields = ["position", "name"]

    def get_queryset(self):
        return Touchpoint.objects.select_related("stage__journey_map")


class LaneViewSet(_ByServiceMixin, JourneysViewSet):
    """The rows of a map. Record lanes show touchpoints, pain points …; text lanes hold ``lane-cells``."""

    queryset = Lane.objects.all()
    serializer_class = serializers.LaneSerializer
    create_service = services.lane_create
    update_service = ("lane", services.lane_update)
    delete_service = ("lane", services.lane_delete)
    filterset_fields = ["journey_map", "kind", "hidden"]
    ordering_fields = ["position", "name"]

    def get_queryset(self):
        return Lane.objects.select_related("journey_map").order_by("journey_map", "position", "id")


class LaneCellViewSet(JourneysViewSet):
    """The text of a text lane under a stage: one cell per (lane, stage); DELETE empties it."""

    queryset = LaneCell.objects.all()
    serializer_class = serializers.LaneCellSerializer
    filterset_fields = ["lane", "stage", "lane__journey_map"]
    ordering_fields = ["id"]

    def get_queryset(self):
        return LaneCell.objects.select_related("lane__journey_map", "stage").order_by("lane", "stage__position")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.cell_set(
            lane=data["lane"], stage=data["stage"], text=data["text"], by=request_person(self.request)
        )

    def perform_update(self, serializer):
        cell = serializer.instance
        serializer.instance = services.cell_set(
            lane=cell.lane,
            stage=cell.stage,
            text=serializer.validated_data.get("text", cell.text),
            by=request_person(self.request),
        )

    def perform_destroy(self, instance):
        services.cell_set(lane=instance.lane, stage=instance.stage, text="", by=request_person(self.request))


class PainPointViewSet(_ByServiceMixin, JourneysViewSet):
    """Pain points (severity 1 minor … 5 critical); a touchpoint alone places it in the touchpoint's stage."""

    queryset = PainPoint.objects.all()
    serializer_class = serializers.PainPointSerializer
    create_service = services.pain_point_create
    update_service = ("pain_point", services.pain_point_update)
    delete_service = ("pain_point", services.pain_point_delete)
    filterset_fields = ["journey_map", "stage", "touchpoint", "severity"]
    ordering_fields = ["severity", "title", "created_at", "updated_at", "id"]

    def get_queryset(self):
        return PainPoint.objects.select_related("journey_map", "stage", "touchpoint__stage")


class OpportunityViewSet(_ByServiceMixin, JourneysViewSet):
    """Opportunities (impact and effort 1 … 5); default order: highest impact, then least effort."""

    queryset = Opportunity.objects.all()
    serializer_class = serializers.OpportunitySerializer
    create_service = services.opportunity_create
    update_service = ("opportunity", services.opportunity_update)
    delete_service = ("opportunity", services.opportunity_delete)
    filterset_fields = ["journey_map", "stage", "touchpoint", "impact", "effort"]
    ordering_fields = ["impact", "effort", "title", "created_at", "updated_at", "id"]

    def get_queryset(self):
        return Opportunity.objects.select_related("journey_map", "stage", "touchpoint__stage")
