"""Actions on the journey map: owners and open actions per touchpoint and pain point (an htmx fragment)."""

from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from actionplans.selectors import follow_up_queue
from actionplans.selectors.journey_map import map_actions as map_actions_of
from cxportal import roles
from journeys.models import JourneyMap


@roles.role_required
def map_actions(request, map_id: int):
    """Owners and open actions of the map's touchpoints and pain points: out-of-band swaps for the map page
    (htmx), or a page of its own without JavaScript."""
    journey_map = get_object_or_404(JourneyMap, pk=map_id)
    is_manager = roles.is_cx_manager(request.user)
    context = {
        "map": journey_map,
        **map_actions_of(journey_map=journey_map, user=request.user),
        "is_manager": is_manager,
        "today": timezone.localdate(),
        # CX managers see where the closed loop reaches no department (follow-ups on, no receiver).
        "unrouted": follow_up_queue.map_unrouted(journey_map=journey_map) if is_manager else None,
    }
    if context["unrouted"]:
        for row in context["touchpoints"]:
            row["waiting"] = context["unrouted"]["waiting"].get(row["touchpoint"].pk, 0)
            row["no_receiver"] = row["touchpoint"].pk in context["unrouted"]["without_receiver"]
    if request.headers.get("HX-Request"):
        return render(request, "actionplans/fragments/map_actions.html", context)
    return render(request, "actionplans/map_actions.html", context)
