"""Reads in journeys shared by views and the API."""

from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from journeys.models import JourneyMap, Stage, Touchpoint


def journey_map_list() -> QuerySet[JourneyMap]:
    return (
        JourneyMap.objects.select_related("owner")
        .prefetch_related("personas")
        .annotate(
            stage_count=Count("stages", distinct=True), touchpoint_count=Count("stages__touchpoints", distinct=True)
        )
    )


def journey_map_detail(*, map_id: int) -> JourneyMap:
    """The map with its stages and their touchpoints, in a fixed number of queries."""
    return get_object_or_404(
        JourneyMap.objects.select_related("owner").prefetch_related(
            "personas",
            Prefetch(
                "stages",
                queryset=Stage.objects.prefetch_related(
                    Prefetch("touchpoints", queryset=Touchpoint.objects.order_by("position", "id"))
                ).order_by("position", "id"),
            ),
        ),
        pk=map_id,
    )


def touchpoint_choices() -> QuerySet[Touchpoint]:
    return Touchpoint.objects.select_related("stage__journey_map").order_by(
        "stage__journey_map__name", "stage__position", "position"
    )
