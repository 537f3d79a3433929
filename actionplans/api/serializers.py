from django.contrib.auth import get_user_model
from rest_framework import serializers

from actionplans.models import Action, Department


class DepartmentSerializer(serializers.ModelSerializer):
    members = serializers.PrimaryKeyRelatedField(many=True, queryset=get_user_model().objects.all(), required=False)

    class Meta:
        model = Department
        fields = ["id", "name", "lead", "members", "contact_email"]


class ActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Action
        fields = [
            "id",
            "title",
            "description",
            "department",
            "owner",
            "touchpoint",
            "kpi",
            "priority",
            "status",
            "progress",
            "start_date",
            "due_date",
            "done_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["done_at", "created_at", "updated_at"]


class ActionCreateSerializer(ActionSerializer):
    class Meta(ActionSerializer.Meta):
        read_only_fields = ["status", "progress", "done_at", "created_at", "updated_at"]
