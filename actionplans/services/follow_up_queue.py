"""The "Needs a department" queue: detractors whose follow-up found no receiving department, for CX managers.

``closed_loop.follow_up_for_response`` fills it (one entry per response); here CX managers read it (the queue
page, the home page, the journey map) and empty it: route an entry to a department (a follow-up action, and
optionally that department for the touchpoint's follow-ups from then on) or dismiss it. Selectors and
services live together: the topic is small.
"""

from collections import Counter

from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone

from actionplans import closed_loop
from actionplans.models import Action, Department, FollowUpRule, UnroutedFollowUp
from actionplans.selectors import actions_visible_to
from actionplans.services.access import require_manager
from cxportal import roles
from cxportal.errors import ApplicationError
from journeys.models import JourneyMap, Touchpoint
from surveys.models import Response

# ---------------------------------------------------------------- selectors


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
        "touchpoints_without_receiver": closed_loop.touchpoints_without_receiver().count(),
    }


def touchpoints_without_receiver_list() -> list[Touchpoint]:
    """The touchpoints whose follow-ups reach no department, each with ``waiting`` (open entries), map order."""
    touchpoints = list(
        closed_loop.touchpoints_without_receiver()
        .select_related("stage__journey_map")
        .order_by("stage__journey_map__name", "stage__journey_map_id", "stage__position", "position", "id")
    )
    waiting = _waiting_by_touchpoint([tp.pk for tp in touchpoints])
    for tp in touchpoints:
        tp.waiting = waiting.get(tp.pk, 0)
    return touchpoints


def map_unrouted(*, journey_map: JourneyMap) -> dict:
    """For the map's cards: ``{"without_receiver": {touchpoint id, …}, "waiting": {touchpoint id: n}}`` (2 queries)."""
    without = set(
        closed_loop.touchpoints_without_receiver().filter(stage__journey_map=journey_map).values_list("pk", flat=True)
    )
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


# ---------------------------------------------------------------- services


def _open_entry_locked(entry: UnroutedFollowUp) -> UnroutedFollowUp:
    locked = (
        UnroutedFollowUp.objects.select_for_update().select_related("response__survey", "touchpoint").get(pk=entry.pk)
    )
    if locked.status != UnroutedFollowUp.Status.OPEN:
        raise ApplicationError(f"This detractor was {locked.get_status_display().lower()} already.")
    return locked


def _resolve(entry: UnroutedFollowUp, *, status: str, by, action: Action | None = None) -> None:
    entry.status, entry.action = status, action
    entry.resolved_at, entry.resolved_by = timezone.now(), by if getattr(by, "pk", None) else None
    entry.save(update_fields=["status", "action", "resolved_at", "resolved_by"])


@transaction.atomic
def unrouted_route(*, entry: UnroutedFollowUp, department: Department, route_future: bool = False, by) -> Action:
    """Open the detractor's follow-up action for ``department``; with ``route_future`` the touchpoint's rule
    names that department from now on, so its next detractors go there directly."""
    require_manager(by, "route follow-ups")
    entry = _open_entry_locked(entry)
    response = entry.response
    if response.touchpoint is None:
        raise ApplicationError("The touchpoint of this response was removed from its map; dismiss the entry.")
    rule, _on = closed_loop.effective_rule(response.touchpoint)
    rule = rule or FollowUpRule(touchpoint=response.touchpoint)
    if route_future:
        rule = closed_loop.follow_up_rule_set(
            touchpoint=response.touchpoint,
            enabled=True,
            department=department,
            due_in_days=rule.due_in_days,
            threshold=rule.threshold,
            by=by,
        )
    action = closed_loop.detractor_action_open(
        response=response, score=entry.score, department=department, due_in_days=rule.due_in_days, by=by
    )
    _resolve(entry, status=UnroutedFollowUp.Status.ROUTED, by=by, action=action)
    return action


@transaction.atomic
def unrouted_dismiss(*, entry: UnroutedFollowUp, by) -> None:
    """Close the entry without an action (e.g. a test answer, or followed up another way)."""
    require_manager(by, "dismiss follow-ups")
    _resolve(_open_entry_locked(entry), status=UnroutedFollowUp.Status.DISMISSED, by=by)


@transaction.atomic
def response_action_link(*, action: Action, response: Response, by) -> None:
    """An action a CX manager created from a response page becomes its follow-up, unless it has one; a queue
    entry of the response is then routed to it."""
    require_manager(by, "link actions to responses")
    if Action.objects.filter(source_response=response).exists():
        return
    Action.objects.filter(pk=action.pk, source_response__isnull=True).update(source_response=response)
    entry = UnroutedFollowUp.objects.select_for_update().filter(response=response).first()
    if entry is not None and entry.status == UnroutedFollowUp.Status.OPEN:
        _resolve(entry, status=UnroutedFollowUp.Status.ROUTED, by=by, action=action)
