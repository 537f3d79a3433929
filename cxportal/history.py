"""The one encoder of recorded changes: what a history entry stores for a field's old and new value.

Journey maps (``journeys.services.history``) and actions (``actionplans.services.history``) both record
``{field: [old, new]}`` as JSON through these functions; how an entry reads as a sentence stays with each app
(``journeys/history_text.py``, ``actionplans/history_text.py``).
"""

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

from django.db import models


def _pk(obj: models.Model):
    return obj.pk


def history_value(value, *, model: Callable[[models.Model], object] = _pk):
    """A JSON-safe value: rows as ``model(row)`` (their id unless told otherwise), dates in ISO 8601,
    decimals as text, lists and mappings element by element, anything else as text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, models.Model):
        return model(value)
    if isinstance(value, list | tuple):
        return [history_value(item, model=model) for item in value]
    if isinstance(value, dict):
        return {str(key): history_value(item, model=model) for key, item in value.items()}
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def changed_values(*, instance, data: dict, fields: list[str]) -> dict[str, tuple]:
    """``{field: (old, new)}`` for the ``fields`` whose value in ``data`` differs from the instance's."""
    return {
        field: (getattr(instance, field), data[field])
        for field in fields
        if field in data and getattr(instance, field) != data[field]
    }


def history_changes(changes: dict | None, *, model: Callable[[models.Model], object] = _pk) -> dict:
    """Encode a whole ``changes`` mapping (``{field: (old, new)}`` or ``{key: value}``) for storing."""
    return {str(key): history_value(value, model=model) for key, value in (changes or {}).items()}
