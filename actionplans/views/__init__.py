"""Action plans UI: departments, plans, the action list, kanban, matrix, timeline and the action page."""

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
