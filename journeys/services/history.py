"""A map's history: every service that changes a map records who changed what, and when."""

from cxportal.actor import acting_person
from cxportal.history import changed_values, history_changes
from journeys.models import JourneyMap, MapChange


def map_change_record(
    *, journey_map: JourneyMap, user, action: str, obj, summary: str, changes: dict | None = None
) -> MapChange:
    """Record one change of ``journey_map`` (``user`` None for API keys and the system).

    ``changes`` is ``{field: (old, new)}``; values are stored as plain JSON (rows by their name, as shown).
    """
    return MapChange.objects.create(
        journey_map=journey_map,
        user=acting_person(user),
        action=action,
        object_type=type(obj).__name__.lower(),
        object_id=getattr(obj, "pk", None),
        summary=summary[:300],
        changes=history_changes(changes, model=str),
    )


def diff(instance, data: dict, fields: list[str]) -> dict:
    """``{field: (old, new)}`` for the allowed fields whose value in ``data`` differs from the instance."""
    return changed_values(instance=instance, data=data, fields=fields)
