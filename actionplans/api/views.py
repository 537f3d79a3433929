from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action as route
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from actionplans import selectors, services
from actionplans.api import serializers
from actionplans.filters import ActionFilterSet
from actionplans.selectors.ownership import touchpoint_ownerships_visible_to
from actionplans.services import ownership
from cxportal.actor import request_person
from cxportal.apikeys import api_key_department


def _visible(request) -> dict:
    """Selector arguments: the person, and the department a restricted API key is held to."""
    return {"user": request_person(request), "department": api_key_department(request)}


def _refuse_restricted_key_delete(request, what: str) -> None:
    # A restricted key acts like a department member, who cannot delete either.
    if api_key_department(request) is not None:
        raise PermissionDenied(f"A key restricted to a department cannot delete {what}; ask a CX manager.")


class DepartmentViewSet(viewsets.ModelViewSet):
    """Departments; CX managers manage them, members read their own."""

    api_area = "actions"
    member_access = "read"
    serializer_class = serializers.DepartmentSerializer
    filterset_fields = ["name"]
    ordering_fields = ["name"]

    def get_queryset(self):
        return selectors.departments_visible_to(**_visible(self.request)).order_by("name")

    def perform_create(self, serializer):
        serializer.instance = services.department_create(by=request_person(self.request), **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.department_update(
            department=serializer.instance, data=dict(serializer.validated_data), by=request_person(self.request)
        )

    def perform_destroy(self, instance):
        services.department_delete(department=instance, by=request_person(self.request))


class ActionPlanViewSet(viewsets.ModelViewSet):
    """Action plans; members read the plans holding their departments' actions."""

    api_area = "actions"
    member_access = "read"
    serializer_class = serializers.ActionPlanSerializer
    filterset_fields = {"journey_map": ["exact"], "owner": ["exact"], "period_start": ["gte", "lte"]}
    ordering_fields = ["name", "period_start", "period_end"]

    def get_queryset(self):
        return selectors.action_plans_visible_to(**_visible(self.request)).order_by("-period_start", "name", "id")

    def perform_create(self, serializer):
        plan = services.action_plan_create(by=request_person(self.request), **serializer.validated_data)
        plan.action_count = plan.open_count = 0  # a new plan holds no actions yet
        serializer.instance = plan

    def perform_update(self, serializer):
        services.action_plan_update(
            plan=serializer.instance, data=dict(serializer.validated_data), by=request_person(self.request)
        )
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    def perform_destroy(self, instance):
        services.action_plan_delete(plan=instance, by=request_person(self.request))


class ActionViewSet(viewsets.ModelViewSet):
    """Actions; department members see and change only their department's (others are 404).

    Related ids in a body (plan, department, owner, touchpoint, pain point, opportunity, KPI scope) may
    name only objects the caller can read; any other id is a 400 exactly like an id that does not exist
    (see ``serializers.ActionSerializer``).
    """

    api_area = "actions"
    member_access = "write"
    filterset_class = ActionFilterSet
    ordering_fields = ["due_date", "priority", "created_at", "impact", "effort"]

    def get_queryset(self):
        return selectors.actions_visible_to(**_visible(self.request)).order_by("due_date", "id")

    def get_serializer_class(self):
        if self.action == "create":
            return serializers.ActionCreateSerializer
        if self.action == "comments":
            return serializers.CommentSerializer
        return serializers.ActionSerializer

    @extend_schema(request=serializers.ActionCreateSerializer, responses={201: serializers.ActionSerializer})
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = services.action_create(by=request_person(self.request), **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.action_update(
            action=serializer.instance, data=dict(serializer.validated_data), by=request_person(self.request)
        )

    def perform_destroy(self, instance):
        _refuse_restricted_key_delete(self.request, "actions")
        services.action_delete(action=instance, by=request_person(self.request))

    @extend_schema(methods=["GET"], responses=serializers.CommentSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=serializers.CommentSerializer, responses={201: serializers.CommentSerializer}
    )
    @route(detail=True, methods=["get", "post"], filter_backends=[])
    def comments(self, request, pk=None):
        """The action's comments (GET, oldest first) or a new one (POST ``{"body"}``)."""
        action = self.get_object()
        if request.method == "POST":
            serializer = serializers.CommentSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            comment = services.comment_create(
                action=action, body=serializer.validated_data["body"], by=request_person(request)
            )
            return Response(serializers.CommentSerializer(comment).data, status=status.HTTP_201_CREATED)
        comments = selectors.action_comments(action=action)
        page = self.paginate_queryset(comments)
        return self.get_paginated_response(serializers.CommentSerializer(page, many=True).data)


class MilestoneViewSet(viewsets.ModelViewSet):
    """Milestones of the actions the caller may see; ``done`` completes or reopens one."""

    api_area = "actions"
    member_access = "write"
    filterset_fields = {"action": ["exact"], "due_date": ["lt", "lte", "gte"], "done_at": ["isnull"]}
    ordering_fields = ["due_date"]

    def get_queryset(self):
        return selectors.milestones_visible_to(**_visible(self.request)).order_by("due_date", "id")

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return serializers.MilestoneUpdateSerializer
        return serializers.MilestoneSerializer

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        done = data.pop("done", False)
        milestone = services.milestone_create(by=request_person(self.request), **data)
        if done:
            milestone = services.milestone_complete(milestone=milestone, by=request_person(self.request))
        serializer.instance = milestone

    def perform_update(self, serializer):
        serializer.instance = services.milestone_update(
            milestone=serializer.instance, data=dict(serializer.validated_data), by=request_person(self.request)
        )

    def perform_destroy(self, instance):
        _refuse_restricted_key_delete(self.request, "milestones")
        services.milestone_delete(milestone=instance, by=request_person(self.request))


class TouchpointOwnershipViewSet(viewsets.ModelViewSet):
    """Which department owns which touchpoint; CX managers assign, members read their departments'."""

    api_area = "actions"
    member_access = "read"
    serializer_class = serializers.TouchpointOwnershipSerializer
    filterset_fields = ["touchpoint", "department"]
    ordering_fields = ["touchpoint", "department", "assigned_at"]

    def get_queryset(self):
        return touchpoint_ownerships_visible_to(**_visible(self.request)).order_by("touchpoint_id")

    def perform_create(self, serializer):
        serializer.instance = ownership.touchpoint_owner_set(
            by=request_person(self.request), **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = ownership.touchpoint_ownership_update(
            ownership=serializer.instance, data=dict(serializer.validated_data), by=request_person(self.request)
        )

    def perform_destroy(self, instance):
        ownership.touchpoint_ownership_delete(ownership=instance, by=request_person(self.request))
