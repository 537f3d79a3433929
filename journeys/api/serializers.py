from django.utils.translation import gettext as _
from rest_framework import serializers

from journeys.models import (
    TOUCHPOINT_CONTENT_FIELDS,
    JourneyMap,
    Lane,
    LaneCell,
    Opportunity,
    PainPoint,
    Persona,
    Stage,
    Touchpoint,
)


class FixedOnUpdateMixin:
    """Fields that place an object (its map, lane, kind …) may be given on create but not changed later."""

    fixed_on_update: tuple[str, ...] = ()

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is not None:
            errors = {
                field: _("This cannot be changed; create a new one instead.")
                for field in self.fixed_on_update
                if field in attrs and attrs[field] != getattr(self.instance, field)
            }
            if errors:
                raise serializers.ValidationError(errors)
        return attrs


class TouchpointSerializer(serializers.ModelSerializer):
    class Meta:
        model = Touchpoint
        fields = ["id", "stage", *TOUCHPOINT_CONTENT_FIELDS, "position"]
        read_only_fields = ["position"]
        extra_kwargs = {"channel": {"required": True}}  # touchpoint_create has no default channel


class StageSerializer(FixedOnUpdateMixin, serializers.ModelSerializer):
    fixed_on_update = ("journey_map",)

    class Meta:
        model = Stage
        fields = ["id", "journey_map", "name", "description", "position"]
        read_only_fields = ["position"]


class StageWithTouchpointsSerializer(StageSerializer):
    touchpoints = TouchpointSerializer(many=True, read_only=True)

    class Meta(StageSerializer.Meta):
        fields = StageSerializer.Meta.fields + ["touchpoints"]


class LaneCellSerializer(FixedOnUpdateMixin, serializers.ModelSerializer):
    """The text of a text lane under one stage. Create one per (lane, stage); DELETE clears it."""

    fixed_on_update = ("lane", "stage")
    text = serializers.CharField(allow_blank=False, trim_whitespace=True)

    class Meta:
        model = LaneCell
        fields = ["id", "lane", "stage", "text"]


class LaneSerializer(FixedOnUpdateMixin, serializers.ModelSerializer):
    fixed_on_update = ("journey_map", "kind")
    name = serializers.CharField(max_length=120, required=False, allow_blank=True)

    class Meta:
        model = Lane
        fields = ["id", "journey_map", "kind", "name", "position", "hidden"]
        read_only_fields = ["position"]


class LaneWithCellsSerializer(LaneSerializer):
    cells = LaneCellSerializer(many=True, read_only=True)

    class Meta(LaneSerializer.Meta):
        fields = LaneSerializer.Meta.fields + ["cells"]


class _FindingSerializer(FixedOnUpdateMixin, serializers.ModelSerializer):
    fixed_on_update = ("journey_map",)
    common_fields = [
        "id",
        "journey_map",
        "stage",
        "touchpoint",
        "title",
        "description",
        "evidence",
        "source",
    ]


class PainPointSerializer(_FindingSerializer):
    class Meta:
        model = PainPoint
        fields = [*_FindingSerializer.common_fields, "severity", "created_at", "updated_at"]


class OpportunitySerializer(_FindingSerializer):
    class Meta:
        model = Opportunity
        fields = [*_FindingSerializer.common_fields, "impact", "effort", "created_at", "updated_at"]


class PersonaSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Persona
        fields = ["id", "name", "role"]


class JourneyMapSerializer(serializers.ModelSerializer):
    review_due = serializers.BooleanField(read_only=True)

    class Meta:
        model = JourneyMap
        fields = [
            "id",
            "name",
            "kind",
            "goal",
            "scope",
            "personas",
            "status",
            "owner",
            "review_cadence_days",
            "reviewed_at",
            "review_due",
            "derived_from",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["owner", "derived_from"]


class JourneyMapDetailSerializer(JourneyMapSerializer):
    """The whole map: stages with touchpoints, lanes with cells, pain points, opportunities, personas."""

    persona_details = PersonaSummarySerializer(source="personas", many=True, read_only=True)
    stages = StageWithTouchpointsSerializer(many=True, read_only=True)
    lanes = LaneWithCellsSerializer(many=True, read_only=True)
    pain_points = PainPointSerializer(many=True, read_only=True)
    opportunities = OpportunitySerializer(many=True, read_only=True)

    class Meta(JourneyMapSerializer.Meta):
        fields = JourneyMapSerializer.Meta.fields + [
            "persona_details",
            "stages",
            "lanes",
            "pain_points",
            "opportunities",
        ]


class StageOrderSerializer(serializers.Serializer):
    stages = serializers.ListField(child=serializers.IntegerField(), allow_empty=True)


class LaneOrderSerializer(serializers.Serializer):
    lanes = serializers.ListField(child=serializers.IntegerField(), allow_empty=True)
