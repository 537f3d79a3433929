"""Every read in actionplans, by topic. Which module holds what:

- ``actions``: which actions (and milestones) a person sees — the one place an action's visibility is decided —
  the action page's comments, the home page's overview.
- ``departments``: the departments and people (possible owners) a person sees.
- ``plans``: the action plans a person sees.
- ``links``: what a caller may link an action to (the API's related ids and KPI scopes).
- ``history``: an action's history entries and the sentences that tell them.
- ``effect``: an action's KPI before and after, with its verdict; the effect panel.
- ``closed_loop``: follow-up rules, who receives a detractor, the follow-up's comment, the pulse survey.
- ``follow_up_queue``: the "Needs a department" queue.
- ``ownership``: which department owns which touchpoint; a department's touchpoints and their KPIs.
- ``member_touchpoints``: the touchpoints whose responses a department member may read (given to surveys).
- ``journey_map``: the owners and open actions on a journey map.
- ``revisions``: open actions whose touchpoint, pain point or opportunity was removed from the map.

The names most views and the API share are re-exported here (``from actionplans import selectors``).
"""

from actionplans.selectors.actions import (
    action_comments,
    actions_overview,
    actions_visible_to,
    milestones_visible_to,
    sees_all,
)
from actionplans.selectors.departments import departments_of, departments_visible_to, people_visible_to
from actionplans.selectors.history import action_history
from actionplans.selectors.links import action_link_choices
from actionplans.selectors.plans import action_plans_visible_to

__all__ = [
    "action_comments",
    "action_history",
    "action_link_choices",
    "action_plans_visible_to",
    "actions_overview",
    "actions_visible_to",
    "departments_of",
    "departments_visible_to",
    "milestones_visible_to",
    "people_visible_to",
    "sees_all",
]
