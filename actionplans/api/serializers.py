from django.contrib.auth import get_user_model
from rest_framework import serializers

from actionplans import selectors
from actionplans.models import Action, ActionPlan, Comment, Department, Milestone, TouchpointOwnership
from cxportal.apikeys import ApiKeyUser, api_key_department


class DepartmentSerializer(serializers.ModelSerializer):
    members = serializers.PrimaryKeyRelatedField(many=True, queryset=get_user_model().objects.all(), required=False)

    class Meta:
        model = Department
        fields = ["id", "name", "lead", "members", "contact_email"]


class ActionPlanSerializer(serializers.ModelSerializer):
    action_count = serializers.IntegerField(read_only=True)
    open_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = ActionPlan
        fields = [
            "id",
            "name",
            "journey_map",
            "goal",
            "period_start",
            "period_end",
            "owner",
            "action_count",
            "open_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


class ActionSerializer(serializers.ModelSerializer):
    quadrant = serializers.ChoiceField(choices=Action.Quadrant.choices, read_only=True)

    class Meta:
        model = Action
        fields = [
            "id",
            "title",
            "description",
            "plan",
            "department",
            "owner",
            "pain_point",
            "opportunity",
            "touchpoint",
            "kpi",
            "scope_type",
            "scope_key",
            "target_value",
            "impact",
            "effort",
            "priority",
            "quadrant",
            "resources",
            "status",
            "progress",
            "start_date",
            "due_date",
            "done_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["priority", "done_at", "created_at", "updated_at"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        department = api_key_department(request) if request is not None else None
        if department is not None and not fields["department"].read_only:
            # A department-restricted key assigns actions only to its own department (others do not exist).
            fields["department"].queryset = Department.objects.filter(pk=department.pk)
        return fields


class ActionCreateSerializer(ActionSerializer):
    class Meta(ActionSerializer.Meta):
        read_only_fields = ["priority", "status", "progress", "done_at", "created_at", "updated_at"]


class MilestoneSerializer(serializers.ModelSerializer):
    done = serializers.BooleanField(required=False, help_text="Set true to complete, false to reopen.")

    class Meta:
        model = Milestone
        fields = ["id", "action", "title", "due_date", "done", "done_at", "created_at"]
        read_only_fields = ["done_at", "created_at"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and "action" in fields:
            # Only actions the caller may see can get a milestone: others do not "exist" (400, not 403).
            user = None if isinstance(request.user, ApiKeyUser) else request.user
            fields["action"].queryset = selectors.actions_visible_to(user=user, department=api_key_department(request))
        return fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["done"] = instance.is_done
        return data


class MilestoneUpdateSerializer(MilestoneSerializer):
    class Meta(MilestoneSerializer.Meta):
        read_only_fields = ["action", "done_at", "created_at"]


class CommentSerializer(serializers.ModelSerializer):
    author_name = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = ["id", "action", "author", "author_name", "body", "created_at"]
        read_only_fields = ["action", "author", "created_at"]

    def get_author_name(self, comment) -> str:
        if comment.author is None:
            return ""
        return comment.author.get_full_name() or comment.author.username


class TouchpointOwnershipSerializer(serializers.ModelSerializer):
    class Meta:
        model = TouchpointOwnership
        fields = ["id", "touchpoint", "department", "assigned_at"]
        read_only_fields = ["assigned_at"]
