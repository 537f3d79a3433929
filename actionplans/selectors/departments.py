"""Which departments and people a person sees (members: their own departments and those departments' members)."""

from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet

from actionplans.models import Action, Department
from actionplans.selectors.actions import sees_all
from cxportal import roles


def departments_of(*, user) -> QuerySet[Department]:
    return Department.objects.filter(members=user) if user is not None else Department.objects.none()


def departments_visible_to(*, user, department: Department | None = None) -> QuerySet[Department]:
    departments = Department.objects.select_related("lead").prefetch_related("members")
    if department is not None:
        departments = departments.filter(pk=department.pk)
    if sees_all(user):
        return departments
    if roles.is_department_member(user):
        return departments.filter(pk__in=Department.objects.filter(members=user).values("pk"))
    return departments.none()


def people_visible_to(*, user, department: Department | None = None) -> QuerySet:
    """The people a caller can see as action owners: everyone, or the members of the visible departments."""
    people = get_user_model().objects.all()
    if department is None and sees_all(user):
        return people
    departments = departments_visible_to(user=user, department=department)
    members = Department.members.through.objects.filter(department__in=departments.values("pk"))
    return people.filter(pk__in=members.values("user_id"))


def department_status_counts(*, departments, today: date) -> dict[int, dict]:
    """Per department id: its actions per status and how many open ones are overdue (one query for all)."""
    rows = (
        Action.objects.filter(department__in=departments)
        .values("department_id", "status")
        .annotate(n=Count("id"), overdue=Count("id", filter=Q(due_date__lt=today) & ~Q(status__in=Action.CLOSED)))
        .order_by()
    )
    counts: dict[int, dict] = {d.pk: {"statuses": {}, "overdue": 0} for d in departments}
    for row in rows:
        entry = counts.setdefault(row["department_id"], {"statuses": {}, "overdue": 0})
        entry["statuses"][row["status"]] = row["n"]
        entry["overdue"] += row["overdue"]
    return counts
