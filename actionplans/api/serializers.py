from django.contrib.auth import get_user_model
from django.db.models import Q
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from actionplans import selectors
from actionplans.models import Action, ActionPlan, Comment, Department, Milestone, TouchpointOwnership
from actionplans.selectors.links import hidden_scope_error, reads_journeys_area
from cxportal.actor import request_person
from cxportal.apikeys import api_key_department
from cxportal.models import ApiKey


def _reads_journeys(request) -> bool:
    api_key = request.auth if isinstance(request.auth, ApiKey) else None
    return reads_journeys_area(user=request.user, api_key=api_key)


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
    """An action. Its related ids may name only objects the caller can read; any other id is answered
    exactly like one that does not exist (``Invalid pk "…" - object does not exist.``), so a write never
    tells "exists, but not yours" from "no such object".

    What a caller may attach an action to (``selectors.action_link_choices``): a department-restricted
    API key or a department member names its own department, its members as owner, and only the plans
    that already hold an action of that department (a new plan is attached by a CX manager); CX managers
    and unrestricted keys name any. Touchpoints, pain points, opportunities and the ``scope_key`` of a
    map, stage, touchpoint or persona scope need read access to the journeys area (an API key:
    ``journeys:read``). The values an action already has stay valid, so sending an action back unchanged
    always works.
    """

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
        if request is None:
            return fields
        choices = selectors.action_link_choices(
            user=request_person(request),
            department=api_key_department(request),
            reads_journeys=_reads_journeys(request),
        )
        instance = self.instance if isinstance(self.instance, Action) else None
        for name, visible in choices.items():
            field = fields.get(name)
            if field is None or field.read_only:
                continue
            current = getattr(instance, f"{name}_id", None)
            if current is not None:
                visible = visible.model.objects.filter(Q(pk__in=visible.values("pk")) | Q(pk=current))
            field.queryset = visible
        return fields

    def validate(self, attrs):
        attrs = super().validate(attrs)
        request = self.context.get("request")
        if request is None:
            return attrs
        error = hidden_scope_error(
            action=self.instance if isinstance(self.instance, Action) else None,
            scope_type=attrs.get("scope_type", getattr(self.instance, "scope_type", "")),
            scope_key=attrs.get("scope_key", getattr(self.instance, "scope_key", "")),
            reads_journeys=_reads_journeys(request),
        )
        if error:
            raise serializers.ValidationError({"scope_key": [error]})
        return attrs


@extend_schema_serializer(component_name="NewAction")
class ActionCreateSerializer(ActionSerializer):
    """What a new action is created from: the status and progress of a new action are its starting ones."""

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
            fields["action"].queryset = selectors.actions_visible_to(
                user=request_person(request), department=api_key_department(request)
            )
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
