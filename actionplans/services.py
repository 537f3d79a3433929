"""Every write in actionplans: departments, actions, and the daily reminder digest."""

import logging
from collections import defaultdict
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from actionplans.models import Action, Department, ReminderDigest
from cxportal import roles
from cxportal.services import model_update
from journeys.models import Touchpoint

logger = logging.getLogger(__name__)
User = get_user_model()

DUE_SOON_DAYS = 3
MEMBER_EDITABLE = ["status", "progress"]
MANAGER_EDITABLE = [
    "title",
    "description",
    "department",
    "owner",
    "touchpoint",
    "kpi",
    "priority",
    "status",
    "progress",
    "start_date",
    "due_date",
]


@transaction.atomic
def department_create(*, name: str, lead=None, members=(), contact_email: str = "") -> Department:
    department = Department(name=name, lead=lead, contact_email=contact_email)
    department.full_clean()
    department.save()
    department.members.set(members)
    return department


def _check_owner(department: Department, owner) -> None:
    if owner is not None and not department.members.filter(pk=owner.pk).exists():
        raise ValidationError({"owner": f"{owner} is not a member of {department}."})


def _check_dates(start_date: date | None, due_date: date | None) -> None:
    if start_date and due_date and due_date < start_date:
        raise ValidationError({"due_date": "The due date cannot be before the start date."})


@transaction.atomic
def action_create(
    *,
    title: str,
    department: Department,
    due_date: date,
    by,
    owner=None,
    description: str = "",
    touchpoint: Touchpoint | None = None,
    kpi: str = "",
    priority: str = Action.Priority.MEDIUM,
    start_date: date | None = None,
) -> Action:
    """A CX manager (or a trusted caller: ``by=None``, an API key or the system) assigns an action."""
    if by is not None and not roles.is_cx_manager(by):
        raise PermissionDenied("Only CX managers create actions.")
    _check_dates(start_date, due_date)
    _check_owner(department, owner)
    action = Action(
        title=title,
        description=description,
        department=department,
        owner=owner,
        touchpoint=touchpoint,
        kpi=kpi,
        priority=priority,
        start_date=start_date,
        due_date=due_date,
        created_by=by,
    )
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def action_update(*, action: Action, data: dict, by) -> Action:
    """Change an action. Department members may change status and progress of their department's actions;
    CX managers and trusted callers (``by=None``) may change everything."""
    action = Action.objects.select_for_update().get(pk=action.pk)
    if by is None or roles.is_cx_manager(by):
        allowed = MANAGER_EDITABLE
    elif action.department.members.filter(pk=by.pk).exists():
        allowed = MEMBER_EDITABLE
        refused = sorted(f for f in data if f not in allowed and getattr(action, f) != data[f])
        if refused:
            raise PermissionDenied(f"Department members cannot change: {', '.join(refused)}.")
    else:
        raise PermissionDenied("This action belongs to another department.")
    department = data.get("department", action.department)
    _check_dates(data.get("start_date", action.start_date), data.get("due_date", action.due_date))
    if "owner" in data or "department" in data:
        _check_owner(department, data.get("owner", action.owner))
    was_closed = action.is_closed
    if data.get("status") == Action.Status.DONE and "progress" not in data:
        data = {**data, "progress": 100}
    model_update(instance=action, data=data, fields=allowed)
    if action.status == Action.Status.DONE and action.done_at is None:
        action.done_at = timezone.now()
        action.save(update_fields=["done_at"])
    elif was_closed and not action.is_closed and action.done_at is not None:
        action.done_at = None
        action.save(update_fields=["done_at"])
    return action


def _digest_lines(today: date) -> dict[int, dict[str, list[Action]]]:
    """Per user id: the actions due soon (owner), overdue (owner and lead), escalated (CX managers)."""
    open_actions = (
        Action.objects.exclude(status__in=Action.CLOSED)
        .filter(due_date__lte=today + timedelta(days=DUE_SOON_DAYS))
        .select_related("department", "owner")
        .order_by("due_date", "id")
    )
    managers = list(User.objects.filter(is_active=True, groups__name=roles.CX_MANAGER).values_list("pk", flat=True))
    per_user: dict[int, dict[str, list[Action]]] = defaultdict(lambda: defaultdict(list))
    for action in open_actions:
        if action.due_date >= today:
            if action.owner_id:
                per_user[action.owner_id]["due_soon"].append(action)
            continue
        for user_id in {action.owner_id, action.department.lead_id} - {None}:
            per_user[user_id]["overdue"].append(action)
        if (today - action.due_date).days > 7:
            for user_id in managers:
                per_user[user_id]["escalated"].append(action)
    return per_user


def reminders_send_daily_digest(*, today: date | None = None) -> int:
    """Send each person at most one digest per local day; returns how many were sent.

    The digest row is written before the mail is handed over, in the same transaction, so a second run
    on the same day finds it and sends nothing; if the mail fails the row rolls back and a later run retries.
    """
    today = today or timezone.localdate()
    sent = 0
    lines = _digest_lines(today)
    users = User.objects.in_bulk(list(lines))
    for user_id, sections in lines.items():
        user = users.get(user_id)
        if user is None or not user.is_active or not user.email:
            continue
        try:
            with transaction.atomic():
                ReminderDigest.objects.create(user=user, day=today, action_count=sum(len(v) for v in sections.values()))
                body = render_to_string(
                    "actionplans/email/digest.txt", {"user": user, "today": today, "sections": dict(sections)}
                )
                send_mail(f"CX portal: your actions for {today:%d %b %Y}", body, None, [user.email])
        except IntegrityError:
            continue  # already sent today
        sent += 1
    logger.info("Sent %d action digests for %s", sent, today)
    return sent


@transaction.atomic
def action_delete(*, action: Action, by) -> None:
    if by is not None and not roles.is_cx_manager(by):
        raise PermissionDenied("Only CX managers delete actions; mark it cancelled or obsolete instead.")
    action.delete()
