"""A map's history, page by page, as readable field changes."""

from django.core.paginator import Page, Paginator

from journeys.history_text import field_label, reorder_names, shown_value
from journeys.models import (
    JourneyMap,
    MapChange,
)
from journeys.selectors.comparison import DERIVATION_ID_KEYS, value_text

HISTORY_PAGE_SIZE = 25


def journey_map_history(*, journey_map: JourneyMap, page_number=1) -> Page:
    """A page of the map's history, newest first, in two queries; each entry gets ``field_changes``.

    ``field_changes`` is ``[(field label, old, new)]`` from the entry's ``{field: [old, new]}``, without the
    derivation's id lists; reordered ids read as names (journeys.history_text), in one more query per kind.
    """
    entries = MapChange.objects.filter(journey_map=journey_map).select_related("user").order_by("-at", "-id")
    page = Paginator(entries, HISTORY_PAGE_SIZE).get_page(page_number)
    names = reorder_names(page)

    def shown(name, value):
        readable = shown_value(name, value, names)
        return value_text(name, value) if readable is None else readable

    for entry in page:
        changes = entry.changes if isinstance(entry.changes, dict) else {}
        entry.field_changes = [
            (
                field_label(entry.object_type, name),
                *(
                    (shown(name, value[0]), shown(name, value[1]))
                    if isinstance(value, list) and len(value) == 2
                    else ("–", shown(name, value))
                ),
            )
            for name, value in changes.items()
            if name not in DERIVATION_ID_KEYS
        ]
    return page
