"""Reads in actionplans: which departments, plans, actions and milestones a person may see."""

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet

from actionplans.models import Action, ActionEvent, ActionPlan, Comment, Department, Milestone
from cxportal import roles
from journeys.models import Opportunity, PainPoint, Touchpoint


def _sees_all(user) -> bool:
    return user is None or roles.is_cx_manager(user)


def actions_visible_to(*, user, department: Department | None = None) -> QuerySet[Action]:
    """CX managers and trusted callers (``user=None``) see every action; members their departments'.

    ``department`` narrows further: a department-restricted API key sees only that department's.
    """
    actions = Action.objects.select_related("department", "owner", "touchpoint", "plan", "pain_point", "opportunity")
    if department is not None:
        actions = actions.filter(department=department)
    if _sees_all(user):
        return actions
    if roles.is_department_member(user):
        return actions.filter(department__in=Department.objects.filter(members=user))
    return actions.none()


def departments_of(*, user) -> QuerySet[Department]:
    return Department.objects.filter(members=user) if user is not None else Department.objects.none()


def departments_visible_to(*, user, department: Department | None = None) -> QuerySet[Department]:
    departments = Department.objects.select_related("lead").prefetch_related("members")
    if department is not None:
        departments = departments.filter(pk=department.pk)
    if _sees_all(user):
        return departments
    if roles.is_department_member(user):
        return departments.filter(pk__in=Department.objects.filter(members=user).values("pk"))
    return departments.none()


def _plans_of(plans: QuerySet[ActionPlan], *, user, department: Department | None) -> QuerySet[ActionPlan]:
    if department is not None:
        plans = plans.filter(pk__in=Action.objects.filter(department=department).values("plan_id"))
    if _sees_all(user):
        return plans
    if roles.is_department_member(user):
        mine = Action.objects.filter(department__members=user).values("plan_id")
        return plans.filter(pk__in=mine)
    return plans.none()


def action_plans_visible_to(*, user, department: Department | None = None) -> QuerySet[ActionPlan]:
    """Members (and department-restricted keys) see the plans that hold an action of their departments."""
    plans = ActionPlan.objects.select_related("journey_map", "owner").annotate(
        action_count=Count("actions", distinct=True),
        open_count=Count("actions", filter=~Q(actions__status__in=Action.CLOSED), distinct=True),
        closed_count=Count("actions", filter=Q(actions__status__in=Action.CLOSED), distinct=True),
    )
    return _plans_of(plans, user=user, department=department)


def people_visible_to(*, user, department: Department | None = None) -> QuerySet:
    """The people a caller can see as action owners: everyone, or the members of the visible departments."""
    people = get_user_model().objects.all()
    if department is None and _sees_all(user):
        return people
    departments = departments_visible_to(user=user, department=department)
    members = Department.members.through.objects.filter(department__in=departments.values("pk"))
    return people.filter(pk__in=members.values("user_id"))


def action_link_choices(*, user, department: Department | None = None, reads_journeys: bool) -> dict[str, QuerySet]:
    """Per related field of an action, the objects this caller may name in it: exactly those it can read.

    Anything else is answered like an id that does not exist, so a write cannot tell "not yours" from
    "no such object". Plans, departments and owners follow the caller's department (a department-restricted
    key or a member: the plans holding an action of the department, the department itself, its members);
    touchpoints, pain points and opportunities need read access to the journeys area (every role has it;
    an API key needs ``journeys:read``).
    """

    def journeys(model):
        return model.objects.all() if reads_journeys else model.objects.none()

    return {
        "plan": _plans_of(ActionPlan.objects.all(), user=user, department=department),
        "department": departments_visible_to(user=user, department=department),
        "owner": people_visible_to(user=user, department=department),
        "touchpoint": journeys(Touchpoint),
        "pain_point": journeys(PainPoint),
        "opportunity": journeys(Opportunity),
    }


def milestones_visible_to(*, user, department: Department | None = None) -> QuerySet[Milestone]:
    milestones = Milestone.objects.select_related("action")
    if department is not None:
        milestones = milestones.filter(action__department=department)
    if _sees_all(user):
        return milestones
    if roles.is_department_member(user):
        return milestones.filter(action__department__in=Department.objects.filter(members=user))
    return milestones.none()


def action_comments(*, action: Action) -> QuerySet[Comment]:
    return Comment.objects.filter(action=action).select_related("author")


def action_history(*, action: Action) -> QuerySet[ActionEvent]:
    return ActionEvent.objects.filter(action=action).select_related("user")


def actions_overview(*, today) -> dict:
    return Action.objects.exclude(status__in=Action.CLOSED).aggregate(
        open_actions=Count("id"), overdue=Count("id", filter=Q(due_date__lt=today))
    )
