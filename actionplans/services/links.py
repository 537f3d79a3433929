"""What an action is linked to, remembered at link time so that a revised map can flag the action for review."""

from actionplans.models import Action
from journeys.models import Touchpoint

LINK_FIELDS = ("touchpoint", "pain_point", "opportunity")
LABEL_FIELDS = [f"{field}_label" for field in LINK_FIELDS]


def _map_id_of(linked) -> int | None:
    if isinstance(linked, Touchpoint):
        return linked.stage.journey_map_id
    return linked.journey_map_id


def action_links_remember(*, action: Action) -> list[str]:
    """Set the link labels and the map from the action's current links (no save); returns the changed fields.

    An unlinked field gets an empty label, so only a link that disappeared without going through our
    services (the map was revised) leaves a label behind a null foreign key.
    """
    changed = []
    map_id = None
    for field in LINK_FIELDS:
        linked = getattr(action, field)
        label = str(linked)[:200] if linked is not None else ""
        if linked is not None and map_id is None:
            map_id = _map_id_of(linked)
        if getattr(action, f"{field}_label") != label:
            setattr(action, f"{field}_label", label)
            changed.append(f"{field}_label")
    if map_id is None and action.plan_id and action.plan.journey_map_id:
        map_id = action.plan.journey_map_id
    if map_id is not None and action.linked_map_id != map_id:
        action.linked_map_id = map_id
        changed.append("linked_map")
    return changed
