"""Which touchpoints' responses a department member may read — the rule actionplans gives surveys.

``ActionplansConfig.ready`` registers ``touchpoints_readable_by`` with ``surveys.selectors.access`` at start-up (surveys
may not import actionplans); surveys applies it to every response list, page, export and API call.
"""

from django.db.models import Q, QuerySet

from actionplans.models import Action, TouchpointOwnership
from journeys.models import Touchpoint


def touchpoints_readable_by(*, user) -> QuerySet[Touchpoint]:
    """The touchpoints whose responses a department member reads: those one of their departments owns or
    has an action on (any status: a done follow-up still explains itself). Registered with
    ``surveys.selectors.access`` at start-up; surveys applies it to every response list, page, export and API call."""
    owned = TouchpointOwnership.objects.filter(department__members=user).values("touchpoint_id")
    acted_on = Action.objects.filter(department__members=user, touchpoint__isnull=False).values("touchpoint_id")
    return Touchpoint.objects.filter(Q(pk__in=owned) | Q(pk__in=acted_on))
