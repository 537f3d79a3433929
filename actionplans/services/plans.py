"""Action plans: a goal and period for a set of actions, per journey map or free-standing."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from actionplans.models import Action, ActionPlan
from actionplans.services.access import require_manager
from cxportal.services import model_update

PLAN_FIELDS = ["name", "journey_map", "goal", "period_start", "period_end", "owner"]


def _check_period(start: date | None, end: date | None) -> None:
    if start and end and end < start:
        raise ValidationError({"period_end": _("The period cannot end before it starts.")})


@transaction.atomic
def action_plan_create(
    *,
    name: str,
    by,
    journey_map=None,
    goal: str = "",
    period_start: date | None = None,
    period_end: date | None = None,
    owner=None,
) -> ActionPlan:
    require_manager(by, _("create action plans"))
    _check_period(period_start, period_end)
    plan = ActionPlan(
        name=name, journey_map=journey_map, goal=goal, period_start=period_start, period_end=period_end, owner=owner
    )
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def action_plan_update(*, plan: ActionPlan, data: dict, by) -> ActionPlan:
    require_manager(by, _("change action plans"))
    plan = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    _check_period(data.get("period_start", plan.period_start), data.get("period_end", plan.period_end))
    new_map = data.get("journey_map", plan.journey_map)
    if new_map is not None and new_map != plan.journey_map:
        # The plan's actions must stay on the plan's map.
        elsewhere = Action.objects.filter(plan=plan).filter(
            (Q(pain_point__isnull=False) & ~Q(pain_point__journey_map=new_map))
            | (Q(opportunity__isnull=False) & ~Q(opportunity__journey_map=new_map))
            | (Q(touchpoint__isnull=False) & ~Q(touchpoint__stage__journey_map=new_map))
        )
        if elsewhere.exists():
            raise ValidationError(
                {"journey_map": "Some of the plan's actions are linked to another map; relink them first."}
            )
    return model_update(instance=plan, data=data, fields=PLAN_FIELDS)


@transaction.atomic
def action_plan_delete(*, plan: ActionPlan, by) -> None:
    """The plan goes; its actions stay, without a plan."""
    require_manager(by, _("delete action plans"))
    plan.delete()
