"""The departments' actions (some done, one overdue) and which department owns which touchpoint."""

from datetime import timedelta

from django.utils import timezone

from actionplans.models import Action, Department, TouchpointOwnership
from actionplans.services import action_create, action_update, milestone_create
from demo.loaders.common import local_afternoon


def load_actions(data, departments, users, touchpoints, counts) -> None:
    today = timezone.localdate()
    existing = set(Action.objects.filter(title__in=[a.title for a in data.actions]).values_list("title", flat=True))
    for spec in data.actions:
        if spec.title in existing:
            continue
        action = action_create(
            title=spec.title,
            department=departments[spec.department],
            due_date=today + timedelta(days=spec.due_days),
            start_date=today + timedelta(days=spec.start_days),
            by=None,
            owner=users[spec.owner],
            description=spec.description,
            touchpoint=touchpoints.get(spec.touchpoint),
            kpi=spec.kpi,
            # The demo names a priority; actions derive theirs from impact and effort.
            impact=Action.PRIORITY_IMPACT_EFFORT[spec.priority][0],
            effort=Action.PRIORITY_IMPACT_EFFORT[spec.priority][1],
        )
        if spec.status in (Action.Status.OPEN, Action.Status.IN_PROGRESS) and spec.due_days > spec.start_days + 1:
            halfway = today + timedelta(days=(spec.start_days + spec.due_days) // 2)
            milestone_create(action=action, title=data.milestone_title, due_date=halfway, by=None)
        if spec.status != Action.Status.OPEN:
            action = action_update(action=action, data={"status": spec.status, "progress": spec.progress}, by=None)
        if spec.done_days is not None:
            # History: the action was finished back then, so its before/after effect has data on both sides.
            Action.objects.filter(pk=action.pk).update(done_at=local_afternoon(today + timedelta(days=spec.done_days)))
        counts["actions"] += 1
    _assign_touchpoint_owners(data, departments, touchpoints)


def _assign_touchpoint_owners(data, departments, touchpoints) -> None:
    """The department of a touchpoint's first demo action owns it, and the moments of truth without an action
    get the department their follow-ups are routed to; an owner someone set already is kept."""
    wanted: dict[int, Department] = {}
    owners = [(spec.touchpoint, spec.department) for spec in data.actions] + list(data.follow_up_owners.items())
    for key, department in owners:
        touchpoint = touchpoints.get(key)
        if touchpoint is not None:
            wanted.setdefault(touchpoint.pk, departments[department])
    owned = set(TouchpointOwnership.objects.filter(touchpoint_id__in=wanted).values_list("touchpoint_id", flat=True))
    TouchpointOwnership.objects.bulk_create(
        [TouchpointOwnership(touchpoint_id=pk, department=dep) for pk, dep in wanted.items() if pk not in owned]
    )
