"""Milestones of an action: members of its department add and complete them, CX managers delete them.

A milestone's due date lies within the action's start date (if any) and its due date: a milestone after
the deadline is no milestone of that deadline. Moving the action's dates past a milestone is refused too.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actionplans.models import Action, ActionEvent, Milestone
from actionplans.services.access import require_manager, require_worker
from actionplans.services.history import action_event_record, changes_of


def _check_within_action(action: Action, due_date: date | None) -> None:
    if due_date is None:
        return
    if due_date > action.due_date:
        raise ValidationError(
            {
                "due_date": _("A milestone cannot be due after its action (%(date)s).")
                % {"date": f"{action.due_date:%Y-%m-%d}"}
            }
        )
    if action.start_date and due_date < action.start_date:
        raise ValidationError(
            {"due_date": f"A milestone cannot be due before its action starts ({action.start_date:%Y-%m-%d})."}
        )


@transaction.atomic
def milestone_create(*, action: Action, title: str, due_date: date, by) -> Milestone:
    require_worker(action, by)
    action = Action.objects.select_for_update().get(pk=action.pk)
    milestone = Milestone(action=action, title=title, due_date=due_date)
    milestone.full_clean()
    _check_within_action(action, due_date)
    milestone.save()
    action_event_record(
        action=action,
        user=by,
        verb=ActionEvent.Verb.MILESTONE_ADDED,
        changes={"milestone": milestone.pk, "title": title, "due_date": due_date},
    )
    return milestone


@transaction.atomic
def milestone_update(*, milestone: Milestone, data: dict, by) -> Milestone:
    """Change title and due date, and complete (``done=True``) or reopen (``done=False``) the milestone."""
    require_worker(milestone.action, by)
    milestone = Milestone.objects.select_for_update(of=("self",)).select_related("action").get(pk=milestone.pk)
    changes = changes_of(instance=milestone, data=data, fields=["title", "due_date"])
    for field in changes:
        setattr(milestone, field, data[field])
    if changes:
        milestone.full_clean()
        _check_within_action(milestone.action, milestone.due_date)
    fields = list(changes)
    done = data.get("done")
    if done is not None and done != milestone.is_done:
        milestone.done_at = timezone.now() if done else None
        fields.append("done_at")
    if not fields:
        return milestone
    milestone.save(update_fields=fields)
    if changes:
        action_event_record(
            action=milestone.action,
            user=by,
            verb=ActionEvent.Verb.MILESTONE_UPDATED,
            changes={"milestone": milestone.pk, **changes},
        )
    if "done_at" in fields:
        action_event_record(
            action=milestone.action,
            user=by,
            verb=ActionEvent.Verb.MILESTONE_DONE if done else ActionEvent.Verb.MILESTONE_REOPENED,
            changes={"milestone": milestone.pk, "title": milestone.title},
        )
    return milestone


def milestone_complete(*, milestone: Milestone, by, done: bool = True) -> Milestone:
    return milestone_update(milestone=milestone, data={"done": done}, by=by)


@transaction.atomic
def milestone_delete(*, milestone: Milestone, by) -> None:
    require_manager(by, _("delete milestones"))
    action_event_record(
        action=milestone.action,
        user=by,
        verb=ActionEvent.Verb.MILESTONE_DELETED,
        changes={"milestone": milestone.pk, "title": milestone.title},
    )
    milestone.delete()
