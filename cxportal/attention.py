"""What needs attention, for the home page: overdue actions, detractors no department receives, missed KPI
targets and actions to review — each a count, the first few items and a link. Glue over the apps' selectors,
a constant number of queries whatever the data size."""

from django.db.models import QuerySet

from actionplans.models import Action
from actionplans.selectors import actions_visible_to, follow_up_queue
from actionplans.selectors.revisions import actions_needing_review
from cxportal import roles
from metrics.selectors.targets import targets_missed

SHOWN = 5


def _first_and_count(items: QuerySet) -> dict:
    first = list(items[:SHOWN])
    return {"items": first, "count": items.count() if len(first) == SHOWN else len(first)}


def overdue_actions(*, user, today) -> dict:
    """Open actions past their due date that ``user`` may see (members: their departments'), most overdue first."""
    overdue = (
        actions_visible_to(user=user)
        .exclude(status__in=Action.CLOSED)
        .filter(due_date__lt=today)
        .order_by("due_date", "id")
    )
    return _first_and_count(overdue)


def attention_for(*, user, today) -> dict:
    """Everything the home page lists for ``user``; the closed loop and the targets only for CX managers."""
    attention = {
        "overdue": overdue_actions(user=user, today=today),
        "reviews": {"count": actions_needing_review(user=user).count()},
    }
    if roles.is_cx_manager(user):
        attention["follow_ups"] = follow_up_queue.attention_counts()
        attention["targets"] = targets_missed(limit=SHOWN)
    return attention
