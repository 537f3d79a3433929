"""A map's history: every service that changes a map records who changed what, and when."""

from journeys.models import JourneyMap, MapChange


def _plain(value):
    """A JSON-safe rendering of a field value for the history."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "pk"):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return str(value)


def map_change_record(
    *, journey_map: JourneyMap, user, action: str, obj, summary: str, changes: dict | None = None
) -> MapChange:
    """Record one change of ``journey_map`` (``user`` None for API keys and the system).

    ``changes`` is ``{field: (old, new)}``; values are stored as plain JSON.
    """
    return MapChange.objects.create(
        journey_map=journey_map,
        user=user if getattr(user, "pk", None) else None,
        action=action,
        object_type=type(obj).__name__.lower(),
        object_id=getattr(obj, "pk", None),
        summary=summary[:300],
        changes={field: [_plain(old), _plain(new)] for field, (old, new) in (changes or {}).items()},
    )


def diff(instance, data: dict, fields: list[str]) -> dict:
    """``{field: (old, new)}`` for the allowed fields whose value in ``data`` differs from the instance."""
    return {f: (getattr(instance, f), data[f]) for f in fields if f in data and getattr(instance, f) != data[f]}
