"""Actions on the journey map: owners and open actions per touchpoint and pain point (an htmx fragment)."""

from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from actionplans.selectors.journey_map import map_actions_panel
from cxportal import roles
from journeys.models import JourneyMap


@roles.role_required
def map_actions(request, map_id: int):
    """Owners and open actions of the map's touchpoints and pain points: out-of-band swaps for the map page
    (htmx), or a page of its own without JavaScript."""
    journey_map = get_object_or_404(JourneyMap, pk=map_id)
    context = {
        "map": journey_map,
        **map_actions_panel(journey_map=journey_map, user=request.user),
        "today": timezone.localdate(),
    }
    if request.headers.get("HX-Request"):
        return render(request, "actionplans/fragments/map_actions.html", context)
    return render(request, "actionplans/map_actions.html", context)
