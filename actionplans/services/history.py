"""The activity history: every service that changes an action writes one entry here."""

from datetime import date, datetime
from decimal import Decimal

from django.db import models

from actionplans.models import Action, ActionEvent


def _plain(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def changes_of(*, instance, data: dict, fields: list[str]) -> dict[str, list]:
    """``{field: [old, new]}`` for the ``fields`` whose value in ``data`` differs from the instance's."""
    return {
        field: [_plain(getattr(instance, field)), _plain(data[field])]
        for field in fields
        if field in data and getattr(instance, field) != data[field]
    }


def action_event_record(*, action: Action, user, verb: str, changes: dict | None = None) -> ActionEvent:
    return ActionEvent.objects.create(
        action=action,
        user=user if getattr(user, "pk", None) else None,
        verb=verb,
        changes={key: _plain(value) for key, value in (changes or {}).items()},
    )
