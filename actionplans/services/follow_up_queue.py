"""The "Needs a department" queue, written: CX managers route an entry to a department (a follow-up action,
and optionally that department for the touchpoint's follow-ups from then on) or dismiss it.

The queue is read in ``actionplans.selectors.follow_up_queue``; ``services.closed_loop`` fills it.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actionplans.models import Action, Department, FollowUpRule, UnroutedFollowUp
from actionplans.selectors.closed_loop import effective_rule
from actionplans.services import closed_loop
from actionplans.services.access import require_manager
from cxportal.actor import acting_person
from cxportal.errors import ApplicationError
from surveys.models import Response


def _open_entry_locked(entry: UnroutedFollowUp) -> UnroutedFollowUp:
    locked = (
        UnroutedFollowUp.objects.select_for_update(of=("self",))
        .select_related("response__survey", "touchpoint")
        .get(pk=entry.pk)
    )
    if locked.status != UnroutedFollowUp.Status.OPEN:
        raise ApplicationError(
            _("This detractor was %(status)s already.") % {"status": locked.get_status_display().lower()}
        )
    return locked


def _resolve(entry: UnroutedFollowUp, *, status: str, by, action: Action | None = None) -> None:
    entry.status, entry.action = status, action
    entry.resolved_at, entry.resolved_by = timezone.now(), acting_person(by)
    entry.save(update_fields=["status", "action", "resolved_at", "resolved_by"])


@transaction.atomic
def unrouted_route(*, entry: UnroutedFollowUp, department: Department, route_future: bool = False, by) -> Action:
    """Open the detractor's follow-up action for ``department``; with ``route_future`` the touchpoint's rule
    names that department from now on, so its next detractors go there directly."""
    require_manager(by, _("route follow-ups"))
    entry = _open_entry_locked(entry)
    response = entry.response
    if response.touchpoint is None:
        raise ApplicationError(_("The touchpoint of this response was removed from its map; dismiss the entry."))
    rule, _on = effective_rule(response.touchpoint)
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
    require_manager(by, _("dismiss follow-ups"))
    _resolve(_open_entry_locked(entry), status=UnroutedFollowUp.Status.DISMISSED, by=by)


@transaction.atomic
def response_action_link(*, action: Action, response: Response, by) -> None:
    """An action a CX manager created from a response page becomes its follow-up, unless it has one; a queue
    entry of the response is then routed to it."""
    require_manager(by, _("link actions to responses"))
    if Action.objects.filter(source_response=response).exists():
        return
    Action.objects.filter(pk=action.pk, source_response__isnull=True).update(source_response=response)
    entry = UnroutedFollowUp.objects.select_for_update().filter(response=response).first()
    if entry is not None and entry.status == UnroutedFollowUp.Status.OPEN:
        _resolve(entry, status=UnroutedFollowUp.Status.ROUTED, by=by, action=action)
