"""Which actions a person sees — the one place an action's visibility is decided — and the action page's reads.

CX managers and trusted callers (``user=None``: tasks, unrestricted API keys) see everything; a department
member sees the actions of their departments; a department-restricted API key only its department's. Every
list, page, fragment and API call of actionplans starts from ``actions_visible_to``; another department's
action is therefore a 404.
"""

from django.db.models import Count, Q, QuerySet

from actionplans.models import Action, Comment, Department, Milestone
from cxportal import roles


def sees_all(user) -> bool:
    """CX managers and trusted callers (``user=None``) see every department's things."""
    return user is None or roles.is_cx_manager(user)


def actions_visible_to(*, user, department: Department | None = None) -> QuerySet[Action]:
    """CX managers and trusted callers (``user=None``) see every action; members their departments'.

    ``department`` narrows further: a department-restricted API key sees only that department's.
    """
    actions = Action.objects.select_related("department", "owner", "touchpoint", "plan", "pain_point", "opportunity")
    if department is not None:
        actions = actions.filter(department=department)
    if sees_all(user):
        return actions
    if roles.is_department_member(user):
        return actions.filter(department__in=Department.objects.filter(members=user))
    return actions.none()


def milestones_visible_to(*, user, department: Department | None = None) -> QuerySet[Milestone]:
    """The milestones of the actions the caller sees (the same rule as ``actions_visible_to``)."""
    milestones = Milestone.objects.select_related("action")
    if department is not None:
        milestones = milestones.filter(action__department=department)
    if sees_all(user):
        return milestones
    if roles.is_department_member(user):
        return milestones.filter(action__department__in=Department.objects.filter(members=user))
    return milestones.none()


def action_comments(*, action: Action) -> QuerySet[Comment]:
    return Comment.objects.filter(action=action).select_related("author")


def actions_overview(*, today) -> dict:
    return Action.objects.exclude(status__in=Action.CLOSED).aggregate(
        open_actions=Count("id"), overdue=Count("id", filter=Q(due_date__lt=today))
    )
