"""Who may read which responses: the one rule every list, detail, export and API path of responses applies.

CX managers, and trusted callers (``user=None``: an API key whose ``surveys`` scope was checked, the system),
read every response. Department members read the responses of the touchpoints their department answers for;
which touchpoints those are is actionplans' knowledge (departments, ownership, actions), and actionplans is
imported by surveys' importers, never the other way round. So actionplans registers that rule here when the
app registry is ready (``ActionplansConfig.ready``) — the one framework hook between the two apps, explicit
and greppable (``member_touchpoints_register``). Without a registered rule members read nothing.
Anyone else reads nothing.
"""

from collections.abc import Callable

from django.db.models import Q, QuerySet

from cxportal import roles
from journeys.models import Touchpoint
from surveys.models import Response, Survey

# ``rule(user=...)`` -> a queryset of the touchpoints (any model queryset whose ``pk`` is the touchpoint id).
MemberTouchpointRule = Callable[..., QuerySet]

_member_touchpoints: MemberTouchpointRule | None = None


def member_touchpoints_register(rule: MemberTouchpointRule) -> None:
    """Install the rule naming the touchpoints whose responses a department member may read."""
    global _member_touchpoints  # noqa: PLW0603 - set once at start-up by the app that owns departments
    _member_touchpoints = rule


def reads_all_responses(user) -> bool:
    return user is None or roles.is_cx_manager(user)


def readable_touchpoints(*, user) -> QuerySet | None:
    """The touchpoints whose responses ``user`` may read as a queryset of ids; None means every one."""
    if reads_all_responses(user):
        return None
    if roles.is_department_member(user) and _member_touchpoints is not None:
        return _member_touchpoints(user=user).values("pk")
    return Touchpoint.objects.none().values("pk")


def readable_surveys(*, user) -> QuerySet | None:
    """The surveys ``user`` may filter responses by, as a queryset of ids; None means every one: those asked
    at a touchpoint they read, or answered there."""
    readable = readable_touchpoints(user=user)
    if readable is None:
        return None
    answered_there = Response.objects.filter(touchpoint__in=readable).values("survey_id")
    return Survey.objects.filter(Q(touchpoint__in=readable) | Q(pk__in=answered_there)).values("pk")


def readable_touchpoint_ids(*, user) -> set[int] | None:
    """Like ``readable_touchpoints`` but evaluated (one query): for pages that decide link by link."""
    readable = readable_touchpoints(user=user)
    return None if readable is None else set(readable.values_list("pk", flat=True))


def responses_visible_to(*, user, responses: QuerySet[Response] | None = None) -> QuerySet[Response]:
    """``responses`` (default: all) narrowed to what ``user`` may read; a subquery, so no extra query."""
    responses = Response.objects.all() if responses is None else responses
    readable = readable_touchpoints(user=user)
    return responses if readable is None else responses.filter(touchpoint__in=readable)


def may_read_touchpoint(*, user, touchpoint_id: int | None) -> bool:
    if reads_all_responses(user):
        return True
    readable = readable_touchpoints(user=user)
    return touchpoint_id is not None and readable.filter(pk=touchpoint_id).exists()
