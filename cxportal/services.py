"""Helpers every app's services share."""


def model_update(*, instance, data: dict, fields: list[str]):
    """Set the allowed ``fields`` present in ``data``, validate the row, save only what changed."""
    changed = []
    for field in fields:
        if field in data and getattr(instance, field) != data[field]:
            setattr(instance, field, data[field])
            changed.append(field)
    if changed:
        instance.full_clean()
        if hasattr(instance, "updated_at"):
            changed.append("updated_at")
        instance.save(update_fields=changed)
    return instance
