"""Revised maps, read: open actions whose touchpoint, pain point or opportunity was deleted from the map.

The services remember what an action is linked to (``services/links.py``). When journeys deletes a
touchpoint, stage or pain point, the database nulls the action's link (SET_NULL) and the remembered name
stays: that pair is the "needs review" state. No signal and no import from journeys to actionplans.
Marking obsolete and relinking are in ``actionplans.services.revisions``.
"""

from collections import defaultdict

from django.db.models import Q, QuerySet

from actionplans.models import Action
from actionplans.selectors.actions import actions_visible_to
from actionplans.services.links import LINK_FIELDS
from journeys.models import Touchpoint

_REMOVED = (
    Q(touchpoint__isnull=True, touchpoint_label__gt="")
    | Q(pain_point__isnull=True, pain_point_label__gt="")
    | Q(opportunity__isnull=True, opportunity_label__gt="")
)


def actions_needing_review(*, user) -> QuerySet[Action]:
    """Open actions (that the user may see) whose linked touchpoint, pain point or opportunity was removed."""
    return (
        actions_visible_to(user=user)
        .exclude(status__in=Action.CLOSED)
        .filter(_REMOVED)
        .select_related("linked_map")
        .order_by("due_date", "id")
    )


def review_reasons(action: Action) -> list[str]:
    reasons = []
    for field in LINK_FIELDS:
        label = getattr(action, f"{field}_label")
        if label and getattr(action, f"{field}_id") is None:
            reasons.append(f"{field.replace('_', ' ')} “{label}” was removed from the map")
    return reasons


def relink_map_id(action: Action) -> int | None:
    """The map whose touchpoints an action may be relinked to: its plan's, else the one it was linked on."""
    if action.plan_id and action.plan.journey_map_id:
        return action.plan.journey_map_id
    return action.linked_map_id


def review_items(*, user) -> list[dict]:
    """The review list with, per action, its reasons and the touchpoints it can be relinked to (2 queries)."""
    actions = list(actions_needing_review(user=user))
    map_ids = {relink_map_id(a) for a in actions} - {None}
    choices: dict[int, list[Touchpoint]] = defaultdict(list)
    if map_ids:
        for tp in (
            Touchpoint.objects.filter(stage__journey_map_id__in=map_ids)
            .select_related("stage")
            .order_by("stage__position", "position", "id")
        ):
            choices[tp.stage.journey_map_id].append(tp)
    return [
        {"action": a, "reasons": review_reasons(a), "touchpoints": choices.get(relink_map_id(a), [])} for a in actions
    ]
