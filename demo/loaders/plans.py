"""One action plan, so the plan pages have something to show: the after-sales plan of the machine journey,
holding the actions of its after-sales stage (texts in both demo languages; found by touchpoint key, not by
name, so it works whichever language the demo was loaded in)."""

from datetime import timedelta

from django.utils import timezone

from actionplans.models import Action, ActionPlan
from actionplans.services import action_plan_create

PLAN = {
    "en": {
        "name": "After-sales service 2027",
        "goal": "Raise the after-sales NPS above zero: faster call-backs, predictable technician visits, "
        "wear parts in stock at the regional hubs.",
    },
    "de": {
        "name": "After-Sales-Service 2027",
        "goal": "Den After-Sales-NPS über null bringen: schnellere Rückrufe, planbare Technikerbesuche, "
        "Verschleißteile vorrätig in den regionalen Servicestützpunkten.",
    },
}
AFTER_SALES_TOUCHPOINT = "mj_onsite_service"


def load_plan(touchpoints, manager, counts, *, language: str = "en") -> None:
    names = [texts["name"] for texts in PLAN.values()]
    touchpoint = touchpoints.get(AFTER_SALES_TOUCHPOINT)
    if touchpoint is None or ActionPlan.objects.filter(name__in=names).exists():
        return
    journey_map = touchpoint.stage.journey_map
    today = timezone.localdate()
    plan = action_plan_create(
        name=PLAN[language]["name"],
        goal=PLAN[language]["goal"],
        journey_map=journey_map,
        period_start=today - timedelta(days=200),
        period_end=today + timedelta(days=165),
        owner=manager,
        by=manager,
    )
    Action.objects.filter(plan__isnull=True, touchpoint__stage=touchpoint.stage).update(plan=plan)
    counts["plans"] += 1
