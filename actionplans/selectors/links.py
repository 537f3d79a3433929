"""What a caller may link an action to — exactly the objects it can read (the API's related ids and KPI
scopes) — and what the action list offers it to filter by.

Anything else is answered like an id that does not exist, so a write cannot tell "not yours" from "no such
object". Plans, departments and owners follow the caller's department (a department-restricted key or a
member: the plans holding an action of the department, the department itself, its members); touchpoints,
pain points, opportunities and a map, stage, touchpoint or persona KPI scope need read access to the
journeys area (every role has it; an API key needs ``journeys:read``).
"""

from django.db.models import QuerySet

from actionplans.models import Action, ActionPlan, Department
from actionplans.selectors.departments import departments_of, departments_visible_to, people_visible_to
from actionplans.selectors.plans import plans_of
from cxportal import roles
from journeys.models import JourneyMap, Opportunity, PainPoint, Persona, Stage, Touchpoint
from metrics.models import ScopeType

SCOPE_MODELS = {
    ScopeType.MAP: JourneyMap,
    ScopeType.STAGE: Stage,
    ScopeType.TOUCHPOINT: Touchpoint,
    ScopeType.PERSONA: Persona,
}


def scope_key_unknown(scope_type: str, key: str) -> str:
    """The error for a KPI scope id that names no object (the API gives it for unreadable ones too)."""
    return f"No {ScopeType(scope_type).label.lower()} with id “{key}”."


def reads_journeys_area(*, user, api_key=None) -> bool:
    """Whether the caller may read maps, touchpoints, pain points and opportunities (the journeys area):
    an API key with ``journeys:read``, or a person with any role."""
    if api_key is not None:
        return api_key.allows("journeys", "read")
    return roles.has_any_role(user)


def action_link_choices(*, user, department: Department | None = None, reads_journeys: bool) -> dict[str, QuerySet]:
    """Per related field of an action, the objects this caller may name in it: exactly those it can read."""

    def journeys(model):
        return model.objects.all() if reads_journeys else model.objects.none()

    return {
        "plan": plans_of(ActionPlan.objects.all(), user=user, department=department),
        "department": departments_visible_to(user=user, department=department),
        "owner": people_visible_to(user=user, department=department),
        "touchpoint": journeys(Touchpoint),
        "pain_point": journeys(PainPoint),
        "opportunity": journeys(Opportunity),
    }


def hidden_scope_error(*, action: Action | None, scope_type: str, scope_key: str, reads_journeys: bool) -> str:
    """The "no such object" error for a KPI scope the caller cannot read (empty when it may name it).

    The service tells whether a map, stage, touchpoint or persona exists; a caller who cannot read them gets
    this answer whichever id it names, except the action's own scope (sending an action back unchanged works).
    """
    if reads_journeys or scope_type not in SCOPE_MODELS or not scope_key:
        return ""
    if action is not None and (action.scope_type, action.scope_key) == (scope_type, scope_key):
        return ""
    return scope_key_unknown(scope_type, scope_key)


def action_filter_choices(*, user) -> dict:
    """The action list's filter choices: CX managers filter by any department, plan and map; a member by
    their own departments only (plans and maps are not offered)."""
    if roles.is_cx_manager(user):
        return {
            "departments_choice": Department.objects.all(),
            "plans_choice": ActionPlan.objects.order_by("name"),
            "maps_choice": JourneyMap.objects.order_by("name").only("id", "name"),
        }
    return {"departments_choice": departments_of(user=user), "plans_choice": [], "maps_choice": []}
