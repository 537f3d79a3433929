"""The journey map's actions: per touchpoint its owning department and open actions, per pain point its open
actions (only those the user may see). journeys' map page loads them as an htmx fragment."""

from collections import defaultdict

from django.db.models import Q, QuerySet

from actionplans.models import Action
from actionplans.selectors.actions import actions_visible_to
from actionplans.selectors.follow_up_queue import map_unrouted
from cxportal import roles
from journeys.models import JourneyMap, PainPoint, Touchpoint


def _open_actions(*, user) -> QuerySet[Action]:
    return actions_visible_to(user=user).exclude(status__in=Action.CLOSED).order_by("due_date", "id")


def map_actions(*, journey_map: JourneyMap, user) -> dict:
    """Per touchpoint of the map: owning department and open actions; per pain point: open actions.

    Three queries whatever the size of the map; actions the user may not see are left out entirely.
    """
    touchpoints = list(
        Touchpoint.objects.filter(stage__journey_map=journey_map)
        .select_related("stage", "ownership__department")
        .order_by("stage__position", "position", "id")
    )
    pain_points = list(PainPoint.objects.filter(journey_map=journey_map).values_list("pk", "title"))
    pain_point_ids = [pk for pk, _title in pain_points]
    tp_ids = [tp.pk for tp in touchpoints]
    by_touchpoint: dict[int, list[Action]] = defaultdict(list)
    by_pain_point: dict[int, list[Action]] = defaultdict(list)
    seen: set[int] = set()
    if tp_ids or pain_point_ids:
        actions = _open_actions(user=user).filter(Q(touchpoint_id__in=tp_ids) | Q(pain_point_id__in=pain_point_ids))
        for action in actions:
            seen.add(action.pk)
            if action.touchpoint_id in tp_ids:
                by_touchpoint[action.touchpoint_id].append(action)
            if action.pain_point_id is not None:
                by_pain_point[action.pain_point_id].append(action)
    return {
        "touchpoints": [
            {
                "touchpoint": tp,
                "owner": getattr(getattr(tp, "ownership", None), "department", None),
                "actions": by_touchpoint.get(tp.pk, []),
            }
            for tp in touchpoints
        ],
        "pain_points": [{"id": pk, "title": title, "actions": by_pain_point.get(pk, [])} for pk, title in pain_points],
        "action_count": len(seen),
    }


def map_actions_panel(*, journey_map: JourneyMap, user) -> dict:
    """``map_actions`` plus, for CX managers, where the closed loop reaches no department: per touchpoint row
    ``waiting`` (detractors in the queue) and ``no_receiver``; ``unrouted`` is None for everyone else."""
    is_manager = roles.is_cx_manager(user)
    panel = {**map_actions(journey_map=journey_map, user=user), "is_manager": is_manager}
    panel["unrouted"] = map_unrouted(journey_map=journey_map) if is_manager else None
    if panel["unrouted"]:
        for row in panel["touchpoints"]:
            row["waiting"] = panel["unrouted"]["waiting"].get(row["touchpoint"].pk, 0)
            row["no_receiver"] = row["touchpoint"].pk in panel["unrouted"]["without_receiver"]
    return panel
