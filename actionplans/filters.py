"""The action filters the list page and the API share."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from actionplans.models import Action, ActionPlan, Department
from journeys.models import JourneyMap


@extend_schema_field(OpenApiTypes.INT)
class _MapFilter(django_filters.ModelChoiceFilter):
    """A journey map id (unknown ids are a 400); the filter method reads it across the action's links."""


class ActionFilterSet(django_filters.FilterSet):
    department = django_filters.ModelChoiceFilter(queryset=Department.objects.all())
    plan = django_filters.ModelChoiceFilter(queryset=ActionPlan.objects.all())
    map = _MapFilter(queryset=JourneyMap.objects.all(), method="filter_map", label="Journey map id")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="Overdue (open and past due)")
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lt", label="Due before (YYYY-MM-DD)")
    quadrant = django_filters.ChoiceFilter(
        method="filter_quadrant", choices=Action.Quadrant.choices, label="Impact/effort quadrant"
    )

    class Meta:
        model = Action
        fields = {
            "status": ["exact", "in"],
            "owner": ["exact"],
            "touchpoint": ["exact"],
            "pain_point": ["exact"],
            "opportunity": ["exact"],
            "due_date": ["lt", "lte", "gte"],
        }

    def filter_map(self, queryset, name, value):
        return queryset.filter(
            Q(plan__journey_map=value)
            | Q(pain_point__journey_map=value)
            | Q(opportunity__journey_map=value)
            | Q(touchpoint__stage__journey_map=value)
        )

    def filter_overdue(self, queryset, name, value):
        late = Q(due_date__lt=timezone.localdate()) & ~Q(status__in=Action.CLOSED)
        return queryset.filter(late) if value else queryset.exclude(late)

    def filter_quadrant(self, queryset, name, value):
        # Priority is stored per quadrant (see Action.QUADRANT_PRIORITY), so this is an indexed equality.
        return queryset.filter(priority=Action.QUADRANT_PRIORITY[value])
