from rest_framework import serializers

from journeys.models import JourneyMap, Stage, Touchpoint


class TouchpointSerializer(serializers.ModelSerializer):
    class Meta:
        model = Touchpoint
        fields = [
            "id",
            "stage",
            "name",
            "channel",
            "description",
            "customer_action",
            "thoughts",
            "emotion_score",
            "is_moment_of_truth",
            "position",
        ]
        read_only_fields = ["position"]


class StageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Stage
        fields = ["id", "journey_map", "name", "description", "position"]
        read_only_fields = ["position"]


class StageWithTouchpointsSerializer(StageSerializer):
    touchpoints = TouchpointSerializer(many=True, read_only=True)

    class Meta(StageSerializer.Meta):
        fields = StageSerializer.Meta.fields + ["touchpoints"]


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
    stages = StageWithTouchpointsSerializer(many=True, read_only=True)

    class Meta(JourneyMapSerializer.Meta):
        fields = JourneyMapSerializer.Meta.fields + ["stages"]
