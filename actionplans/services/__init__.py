"""Every write in actionplans: departments, plans, actions, milestones, comments and the reminder digest."""

from actionplans.services.actions import MANAGER_EDITABLE, MEMBER_EDITABLE, action_create, action_delete, action_update
from actionplans.services.comments import comment_create
from actionplans.services.departments import department_create, department_delete, department_update
from actionplans.services.milestones import milestone_complete, milestone_create, milestone_delete, milestone_update
from actionplans.services.plans import action_plan_create, action_plan_delete, action_plan_update
from actionplans.services.reminders import DUE_SOON_DAYS, reminders_send_daily_digest

__all__ = [
    "DUE_SOON_DAYS",
    "MANAGER_EDITABLE",
    "MEMBER_EDITABLE",
    "action_create",
    "action_delete",
    "action_plan_create",
    "action_plan_delete",
    "action_plan_update",
    "action_update",
    "comment_create",
    "department_create",
    "department_delete",
    "department_update",
    "milestone_complete",
    "milestone_create",
    "milestone_delete",
    "milestone_update",
    "reminders_send_daily_digest",
]
