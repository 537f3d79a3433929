"""API for exporting, importing and deriving journey maps.

``GET journey-maps/<id>/export/`` answers the version-1 document (see ``journeys/services/exchange.py``),
``POST journey-maps/import/`` takes that document as the body and creates a new map (all or nothing;
400 with ``{"<path>": ["message"]}`` for every problem), ``POST journey-maps/<id>/derive-future-state/``
copies a current-state map into a new future-state map.
"""

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from cxportal.actor import request_person
from journeys import selectors, services
from journeys.api.serializers import JourneyMapSerializer
from journeys.models import JourneyMap


class MapImportResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    warnings = serializers.ListField(child=serializers.CharField(), help_text="e.g. persona names not found")


class DeriveFutureStateSerializer(serializers.Serializer):
    name = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=JourneyMap._meta.get_field("name").max_length,
        help_text="Name of the new map; default “<name> — future state”.",
    )


class JourneyMapExportView(APIView):
    """The whole map as a portable JSON document that ``journey-maps/import/`` reads back."""

    api_area = "journeys"
    member_access = "read"

    @extend_schema(
        responses={200: OpenApiTypes.OBJECT},
        description='`{"format": "cxportal.journey_map", "version": 1, "map", "personas", "stages": '
        '[{…, "touchpoints": […]}], "lanes": [{…, "cells": {"<stage index>": text}}], "pain_points", '
        '"opportunities"}`; stages and touchpoints are referenced by position, not by id.',
    )
    def get(self, request, pk: int):
        journey_map = selectors.journey_map_full(map_id=pk)
        return Response(services.journey_map_export(journey_map=journey_map))


class JourneyMapImportView(APIView):
    """Create a new map from an exported document (at most 2 MB); nothing is created if any part is wrong."""

    api_area = "journeys"
    member_access = "read"
    parser_classes = [JSONParser]

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={201: MapImportResultSerializer, 400: OpenApiTypes.OBJECT},
        examples=[
            OpenApiExample(
                "Problems",
                value={"stages[2].touchpoints[0].emotion_score": ["must be between −3 and 3"]},
                response_only=True,
                status_codes=["400"],
            )
        ],
    )
    def post(self, request):
        # The raw body, so that the 2 MB limit and the JSON errors are the same as for an uploaded file.
        document = services.journey_map_document_parse(raw=request.body)
        result = services.journey_map_import(document=document, by=request_person(request))
        body = {"id": result.journey_map.pk, "name": result.journey_map.name, "warnings": result.warnings}
        return Response(MapImportResultSerializer(body).data, status=status.HTTP_201_CREATED)


class JourneyMapDeriveView(APIView):
    """Copy a current-state map into a new draft future-state map (``derived_from`` links the two)."""

    api_area = "journeys"
    member_access = "read"

    @extend_schema(request=DeriveFutureStateSerializer, responses={201: JourneyMapSerializer})
    def post(self, request, pk: int):
        data = DeriveFutureStateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        journey_map = selectors.journey_map_full(map_id=pk)
        future = services.journey_map_derive_future_state(
            journey_map=journey_map, by=request_person(request), name=data.validated_data.get("name") or None
        )
        return Response(JourneyMapSerializer(future).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("journey-maps/import/", JourneyMapImportView.as_view(), name="journey-map-import"),
    path("journey-maps/<int:pk>/export/", JourneyMapExportView.as_view(), name="journey-map-export"),
    path("journey-maps/<int:pk>/derive-future-state/", JourneyMapDeriveView.as_view(), name="journey-map-derive"),
]
