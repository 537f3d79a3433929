"""Reads of journey maps: lists, the whole map, touchpoints, pain points and opportunities."""

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from journeys.models import (
    JourneyMap,
    Lane,
    Opportunity,
    PainPoint,
    Stage,
    Touchpoint,
)


def _stages() -> Prefetch:
    """A map's stages in order, each with its touchpoints in order."""
    return Prefetch(
        "stages",
        queryset=Stage.objects.prefetch_related(
            Prefetch("touchpoints", queryset=Touchpoint.objects.order_by("position", "id"))
        ).order_by("position", "id"),
    )


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
        JourneyMap.objects.select_related("owner").prefetch_related("personas", _stages()), pk=map_id
    )


def touchpoint_choices() -> QuerySet[Touchpoint]:
    return Touchpoint.objects.select_related("stage__journey_map").order_by(
        "stage__journey_map__name", "stage__position", "position"
    )


def _full_map_queryset() -> QuerySet[JourneyMap]:
    return JourneyMap.objects.select_related("owner").prefetch_related(
        "personas",
        _stages(),
        Prefetch("lanes", queryset=Lane.objects.prefetch_related("cells").order_by("position", "id")),
        Prefetch("pain_points", queryset=PainPoint.objects.order_by("-severity", "id")),
        Prefetch("opportunities", queryset=Opportunity.objects.order_by("-impact", "effort", "id")),
    )


def journey_map_full(*, map_id: int) -> JourneyMap:
    """The whole map for the workbench and the API detail: stages with touchpoints, lanes with cells,
    pain points, opportunities and personas, in a fixed number of queries."""
    return get_object_or_404(_full_map_queryset(), pk=map_id)


def journey_maps_full(*, map_ids: list[int]) -> list[JourneyMap]:
    """Several whole maps in the order asked for, in the same fixed number of queries as one map.

    Raises ``Http404`` naming the ids that do not exist, so a stale print link says what is missing."""
    maps = {m.pk: m for m in _full_map_queryset().filter(pk__in=map_ids)}
    missing = [str(pk) for pk in map_ids if pk not in maps]
    if missing:
        raise Http404(_("No journey map with id %(ids)s.") % {"ids": ", ".join(missing)})
    return [maps[pk] for pk in map_ids]


def journey_map_full_queryset() -> QuerySet[JourneyMap]:
    """The queryset behind :func:`journey_map_full`, for the API's retrieve."""
    return _full_map_queryset()


def pain_point_list(*, journey_map: JourneyMap) -> QuerySet[PainPoint]:
    """The map's pain points, most severe first."""
    return journey_map.pain_points.select_related("stage", "touchpoint").order_by("-severity", "stage__position", "id")


def opportunity_list(*, journey_map: JourneyMap) -> QuerySet[Opportunity]:
    """The map's opportunities, biggest lever first: high impact, then low effort."""
    return journey_map.opportunities.select_related("stage", "touchpoint").order_by(
        "-impact", "effort", "stage__position", "id"
    )


def touchpoint_detail(*, touchpoint_id: int) -> Touchpoint:
    """One touchpoint with its stage, map and the pain points and opportunities placed on it (3 queries)."""
    return get_object_or_404(
        Touchpoint.objects.select_related("stage__journey_map").prefetch_related(
            Prefetch("pain_points", queryset=PainPoint.objects.order_by("-severity", "id")),
            Prefetch("opportunities", queryset=Opportunity.objects.order_by("-impact", "effort", "id")),
        ),
        pk=touchpoint_id,
    )
