"""Every write in actionplans, by topic. Which module holds what:

- ``departments``, ``plans``, ``actions``, ``milestones``, ``comments``: create, change, delete (each change of
  an action is recorded by ``history``; ``access`` holds who may write; ``links`` remembers what an action is
  linked to).
- ``reminders``: the daily digest e-mail of due and overdue actions.
- ``closed_loop``: a detractor answer or a missed KPI target opens one follow-up action; follow-up rules;
  the pulse survey after a done action.
- ``follow_up_queue``: route or dismiss a detractor waiting in "Needs a department".
- ``ownership``: which department owns which touchpoint.
- ``revisions``: mark obsolete or relink an action whose map was revised.
- ``erasure``: what actionplans holds about a customer, registered in the personal-data inventory at start-up.

The reads are in ``actionplans.selectors``. The everyday writes are re-exported here.
"""

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
