"""Action plans UI, by topic. Which module holds what:

- ``actions``: the action list, "my department", the action page, its form, milestones and comments.
- ``boards``: kanban, impact/effort matrix, timeline (and the kanban's status move).
- ``plans``, ``departments``: their lists and forms.
- ``ownership``: the touchpoints a department owns.
- ``journey_map``: the journey map's owners and open actions (an htmx fragment).
- ``revisions``: the review of actions whose map was revised.
- ``closed_loop``: follow-up rules per touchpoint, the pulse survey of a done action.
- ``follow_up_queue``: the "Needs a department" queue.
- ``responses``: a response's follow-up fragment and the action prefilled from a response.

The URL patterns are all in ``actionplans/urls.py``.
"""

from actionplans.views.actions import (
    action_comment,
    action_create,
    action_delete,
    action_detail,
    action_edit,
    action_list,
    action_milestone_add,
    action_milestone_toggle,
    my_department,
)
from actionplans.views.boards import action_kanban, action_matrix, action_move, action_timeline
from actionplans.views.departments import department_create, department_edit, department_list
from actionplans.views.plans import plan_create, plan_detail, plan_edit, plan_list

__all__ = [
    "action_comment",
    "action_create",
    "action_delete",
    "action_detail",
    "action_edit",
    "action_kanban",
    "action_list",
    "action_matrix",
    "action_milestone_add",
    "action_milestone_toggle",
    "action_move",
    "action_timeline",
    "department_create",
    "department_edit",
    "department_list",
    "my_department",
    "plan_create",
    "plan_detail",
    "plan_edit",
    "plan_list",
]
