"""The activity history: every service that changes an action writes one entry here."""

from actionplans.models import Action, ActionEvent
from cxportal.actor import acting_person
from cxportal.history import changed_values, history_changes


def changes_of(*, instance, data: dict, fields: list[str]) -> dict[str, list]:
    """``{field: [old, new]}`` for the ``fields`` whose value in ``data`` differs from the instance's."""
    return history_changes(changed_values(instance=instance, data=data, fields=fields))


def action_event_record(*, action: Action, user, verb: str, changes: dict | None = None) -> ActionEvent:
    return ActionEvent.objects.create(
        action=action, user=acting_person(user), verb=verb, changes=history_changes(changes)
    )
