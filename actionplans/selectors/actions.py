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
    return scoped_to_departments(actions, user=user, department=department, path="department")


def milestones_visible_to(*, user, department: Department | None = None) -> QuerySet[Milestone]:
    """The milestones of the actions the caller sees (the same rule as ``actions_visible_to``)."""
    milestones = Milestone.objects.select_related("action")
    return scoped_to_departments(milestones, user=user, department=department, path="action__department")


def scoped_to_departments(queryset: QuerySet, *, user, department: Department | None, path: str) -> QuerySet:
    """The one department rule: everything for CX managers and trusted callers, the rows whose ``path`` leads
    to one of a member's departments for members, nothing for anyone else; ``department`` narrows further."""
    if department is not None:
        queryset = queryset.filter(**{path: department})
    if sees_all(user):
        return queryset
    if roles.is_department_member(user):
        return queryset.filter(**{f"{path}__in": Department.objects.filter(members=user)})
    return queryset.none()


def action_comments(*, action: Action) -> QuerySet[Comment]:
    return Comment.objects.filter(action=action).select_related("author")


def actions_overview(*, today) -> dict:
    return Action.objects.exclude(status__in=Action.CLOSED).aggregate(
        open_actions=Count("id"), overdue=Count("id", filter=Q(due_date__lt=today))
    )
