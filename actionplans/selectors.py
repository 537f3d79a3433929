"""Reads in actionplans: which actions and departments a person may see."""

from django.db.models import Count, Q, QuerySet

from actionplans.models import Action, Department
from cxportal import roles


def actions_visible_to(*, user) -> QuerySet[Action]:
    """CX managers and trusted callers (``user=None``) see every action; members their departments'."""
    actions = Action.objects.select_related("department", "owner", "touchpoint")
    if user is None or roles.is_cx_manager(user):
        return actions
    if roles.is_department_member(user):
        return actions.filter(department__members=user).distinct()
    return actions.none()


def departments_of(*, user) -> QuerySet[Department]:
    return Department.objects.filter(members=user) if user is not None else Department.objects.none()


def actions_overview(*, today) -> dict:
    return Action.objects.exclude(status__in=Action.CLOSED).aggregate(
        open_actions=Count("id"), overdue=Count("id", filter=Q(due_date__lt=today))
    )
