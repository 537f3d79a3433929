"""The "Needs a department" queue, read: detractors whose follow-up found no receiving department.

``services.closed_loop.follow_up_for_response`` fills it (one entry per response); CX managers read it here
(the queue page, the home page, the journey map) and empty it with ``services.follow_up_queue``.
"""

from collections import Counter

from django.db.models import Count, QuerySet

from actionplans.models import UnroutedFollowUp
from actionplans.selectors.actions import actions_visible_to
from actionplans.selectors.closed_loop import touchpoints_without_receiver
from cxportal import roles
from journeys.models import JourneyMap, Touchpoint
from surveys.models import Response


def unrouted_open() -> QuerySet[UnroutedFollowUp]:
    """The entries waiting for a department, oldest first, with what the queue page shows (constant queries)."""
    return (
        UnroutedFollowUp.objects.filter(status=UnroutedFollowUp.Status.OPEN)
        .select_related("response__survey", "response__customer", "touchpoint__stage__journey_map")
        .order_by("created_at", "id")
    )


def attention_counts() -> dict:
    """What the closed loop needs from CX managers: detractors waiting, touchpoints that send them (2 queries)."""
    return {
        "waiting": UnroutedFollowUp.objects.filter(status=UnroutedFollowUp.Status.OPEN).count(),
        "touchpoints_without_receiver": touchpoints_without_receiver().count(),
    }


def touchpoints_without_receiver_list() -> list[Touchpoint]:
    """The touchpoints whose follow-ups reach no department, each with ``waiting`` (open entries), map order."""
    touchpoints = list(
        touchpoints_without_receiver()
        .select_related("stage__journey_map")
        .order_by("stage__journey_map__name", "stage__journey_map_id", "stage__position", "position", "id")
    )
    waiting = _waiting_by_touchpoint([tp.pk for tp in touchpoints])
    for tp in touchpoints:
        tp.waiting = waiting.get(tp.pk, 0)
    return touchpoints


def map_unrouted(*, journey_map: JourneyMap) -> dict:
    """For the map's cards: ``{"without_receiver": {touchpoint id, …}, "waiting": {touchpoint id: n}}`` (2 queries)."""
    without = set(touchpoints_without_receiver().filter(stage__journey_map=journey_map).values_list("pk", flat=True))
    waiting = Counter(
        dict(
            UnroutedFollowUp.objects.filter(
                status=UnroutedFollowUp.Status.OPEN, touchpoint__stage__journey_map=journey_map
            )
            .values_list("touchpoint_id")
            .annotate(n=Count("id"))
            .values_list("touchpoint_id", "n")
        )
    )
    return {"without_receiver": without, "waiting": waiting, "total_waiting": sum(waiting.values())}


def _waiting_by_touchpoint(touchpoint_ids: list[int]) -> dict[int, int]:
    rows = (
        UnroutedFollowUp.objects.filter(status=UnroutedFollowUp.Status.OPEN, touchpoint_id__in=touchpoint_ids)
        .values("touchpoint_id")
        .annotate(n=Count("id"))
    )
    return {row["touchpoint_id"]: row["n"] for row in rows}


def response_follow_up(*, response: Response, user) -> dict:
    """What the response page shows of the closed loop: its follow-up action (if the user may see it) and,
    for CX managers, its queue entry."""
    action = actions_visible_to(user=user).filter(source_response=response).first()
    entry = None
    if roles.is_cx_manager(user):
        entry = UnroutedFollowUp.objects.filter(response=response).select_related("action").first()
    return {"action": action, "entry": entry}
