from rest_framework import viewsets

from actionplans import selectors, services
from actionplans.api import serializers
from actionplans.models import Department
from cxportal.api import ServiceViewSetMixin
from cxportal.apikeys import ApiKeyUser


def _person(request):
    """The person behind a request, or None for an API key (whose scope the permission checked)."""
    return None if isinstance(request.user, ApiKeyUser) else request.user


class DepartmentViewSet(ServiceViewSetMixin, viewsets.ModelViewSet):
    api_area = "actions"
    member_access = "read"
    queryset = Department.objects.prefetch_related("members")
    serializer_class = serializers.DepartmentSerializer
    create_service = services.department_create
    update_fields = ["name", "lead", "contact_email"]
    ordering_fields = ["name"]

    def perform_update(self, serializer):
        members = serializer.validated_data.pop("members", None)
        super().perform_update(serializer)
        if members is not None:
            serializer.instance.members.set(members)


class ActionViewSet(viewsets.ModelViewSet):
    """Actions; department members see and change only their department's (others are 404)."""

    api_area = "actions"
    member_access = "write"
    filterset_fields = {
        "department": ["exact"],
        "status": ["exact", "in"],
        "owner": ["exact"],
        "touchpoint": ["exact"],
        "due_date": ["lt", "lte", "gte"],
    }
    ordering_fields = ["due_date", "priority", "created_at"]

    def get_queryset(self):
        return selectors.actions_visible_to(user=_person(self.request)).order_by("due_date", "id")

    def get_serializer_class(self):
        if self.action == "create":
            return serializers.ActionCreateSerializer
        return serializers.ActionSerializer

    def perform_create(self, serializer):
        serializer.instance = services.action_create(by=_person(self.request), **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.action_update(
            action=serializer.instance, data=dict(serializer.validated_data), by=_person(self.request)
        )

    def perform_destroy(self, instance):
        services.action_delete(action=instance, by=_person(self.request))
