"""Which action plans a person sees: members (and department-restricted keys) the plans holding their actions."""

from django.db.models import Count, Q, QuerySet

from actionplans.models import Action, ActionPlan, Department
from actionplans.selectors.actions import sees_all
from cxportal import roles


def plans_of(plans: QuerySet[ActionPlan], *, user, department: Department | None) -> QuerySet[ActionPlan]:
    """``plans`` narrowed to those the caller sees."""
    if department is not None:
        plans = plans.filter(pk__in=Action.objects.filter(department=department).values("plan_id"))
    if sees_all(user):
        return plans
    if roles.is_department_member(user):
        mine = Action.objects.filter(department__members=user).values("plan_id")
        return plans.filter(pk__in=mine)
    return plans.none()


def action_plans_visible_to(*, user, department: Department | None = None) -> QuerySet[ActionPlan]:
    """Members (and department-restricted keys) see the plans that hold an action of their departments."""
    plans = ActionPlan.objects.select_related("journey_map", "owner").annotate(
        action_count=Count("actions", distinct=True),
        open_count=Count("actions", filter=~Q(actions__status__in=Action.CLOSED), distinct=True),
        closed_count=Count("actions", filter=Q(actions__status__in=Action.CLOSED), distinct=True),
    )
    return plans_of(plans, user=user, department=department)
