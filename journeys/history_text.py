"""A map's history as people read it: field names as words, and the ids of reorders as names.

Entries store ``{field: [old, new]}`` with related objects already by name; reorders store id lists
(``{"stages": [[3, 4, 5], [4, 3, 5]]}``) and moves a 0-based ``position``. Those are turned into names and
places here, one query per kind for a whole page.
"""

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

from journeys.models import JourneyMap, Lane, Opportunity, PainPoint, Stage, Touchpoint

REORDERED_MODELS = {"stages": Stage, "touchpoints": Touchpoint, "lanes": Lane}
_OBJECT_MODELS = {
    "journeymap": JourneyMap,
    "stage": Stage,
    "touchpoint": Touchpoint,
    "lane": Lane,
    "painpoint": PainPoint,
    "opportunity": Opportunity,
}


def field_label(object_type: str, field: str) -> str:
    """The model field's verbose name (``emotion_score`` → "Emotion score"), else the key in words."""
    model = _OBJECT_MODELS.get(object_type)
    if field in REORDERED_MODELS:
        return _("Order of the %(things)s") % {"things": str(REORDERED_MODELS[field]._meta.verbose_name_plural)}
    if field == "position":
        return _("Place")
    if model is not None:
        try:
            return str(model._meta.get_field(field).verbose_name).capitalize()
        except FieldDoesNotExist:
            pass
    return field.replace("_", " ").capitalize()


def reorder_names(entries) -> dict[str, dict[int, str]]:
    """``{noun: {id: name}}`` for every id a reorder entry on this page mentions."""
    wanted: dict[str, set[int]] = {}
    for entry in entries:
        changes = entry.changes if isinstance(entry.changes, dict) else {}
        for noun, value in changes.items():
            if noun in REORDERED_MODELS and isinstance(value, list):
                for ids in value:
                    if isinstance(ids, list):
                        wanted.setdefault(noun, set()).update(i for i in ids if isinstance(i, int))
    names = {}
    for noun, ids in wanted.items():
        names[noun] = dict(REORDERED_MODELS[noun].objects.filter(pk__in=ids).values_list("pk", "name"))
    return names


def shown_value(field: str, value, names: dict[str, dict[int, str]]):
    """Names for id lists of reorders, 1-based places, map kinds in words; ``None`` for any other value."""
    if field in REORDERED_MODELS and isinstance(value, list):
        known = names.get(field, {})
        return ", ".join(known.get(i, _("(deleted)")) for i in value)
    if field == "position" and isinstance(value, int):
        return str(value + 1)
    if field == "kind" and value in JourneyMap.Kind.values:
        return str(JourneyMap.Kind(value).label)
    return None
